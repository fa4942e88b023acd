using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Rollup.Node.Hosting;

/// <summary>
/// Reads <see cref="NodeOptions"/>: defaults, then the JSON file, then ROLLUP__ variables, then flags. Settings that
/// cannot be read (a file that is not JSON, a value of the wrong type) are an <see cref="OptionsException"/> naming
/// the file or the setting, which the node prints before it exits 2.
/// </summary>
public static class NodeConfiguration
{
    public static IConfiguration Build(string? configFile, IDictionary<string, string?> overrides)
    {
        if (configFile is null)
        {
            return Build(null, overrides, "");
        }
        FileStream file;
        try
        {
            file = File.OpenRead(configFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException($"config file {configFile} cannot be read: {error.Message}");
        }
        using (file)
        {
            return Build(file, overrides, $"config file {configFile}");
        }
    }

    /// <summary>The same with the JSON settings from <paramref name="json"/> (null: none), read before this returns.</summary>
    public static IConfiguration Build(Stream? json, IDictionary<string, string?> overrides, string source)
    {
        var builder = new ConfigurationBuilder();
        if (json is not null)
        {
            builder.AddJsonStream(json);
        }
        try
        {
            return builder.AddEnvironmentVariables("ROLLUP__").AddInMemoryCollection(overrides).Build();
        }
        catch (Exception error) when (error is FormatException or InvalidDataException or JsonException)
        {
            throw new OptionsException($"{source} is not JSON settings: {Innermost(error).Message}");
        }
    }

    public static NodeOptions Load(IConfiguration configuration)
    {
        var options = new NodeOptions();
        try
        {
            configuration.GetSection(NodeOptions.Section).Bind(options);
        }
        catch (InvalidOperationException error)
        {
            // "Failed to convert configuration value 'abc' at 'Node:ChainId' to type 'System.UInt64'."
            throw new OptionsException(error.Message);
        }
        return options;
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }
        return error;
    }
}
