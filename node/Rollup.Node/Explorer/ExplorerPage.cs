using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Rollup.Node.Explorer;

/// <summary>
/// The explorer page (docs/http-api.md, "The explorer"): static files embedded in the node's assembly, served at
/// <c>/explorer/</c> (and <c>/</c> redirecting there) beside the HTTP/JSON API they read. A sequencer and a validator serve it alike.
/// </summary>
public static class ExplorerPage
{
    public const string Path = "/explorer/";

    private const string ResourcePrefix = "explorer/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>The page's files by name (index.html, explorer.js, ...), read once from the assembly's resources.</summary>
    private static readonly Lazy<Dictionary<string, byte[]>> Files = new(Load);

    public static IEndpointRouteBuilder MapExplorer(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", context =>
        {
            context.Response.Redirect(Path);
            return Task.CompletedTask;
        });
        endpoints.MapGet(Path, context => Serve(context, "index.html"));
        endpoints.MapGet(Path + "{file}", context => Serve(context, (string)context.Request.RouteValues["file"]!));
        return endpoints;
    }

    /// <summary>The names of the embedded files, for tests.</summary>
    internal static IReadOnlyCollection<string> FileNames => Files.Value.Keys;

    private static async Task Serve(HttpContext context, string name)
    {
        var extension = System.IO.Path.GetExtension(name);
        if (!Files.Value.TryGetValue(name, out var content) || !ContentTypes.TryGetValue(extension, out var type))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = type;
        // A node upgrade changes the files under the same names: the browser asks again each time (they are small).
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.ContentLength = content.Length;
        await context.Response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
    }

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = typeof(ExplorerPage).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                files[resource[ResourcePrefix.Length..]] = copy.ToArray();
            }
        }
        return files;
    }
}
