using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Rollup.Api.Hosting;

/// <summary>
/// Middleware that watches every gRPC call's request body through a <see cref="PartialMessageReader"/>, and the
/// budget they share: the bytes of request messages begun but not complete over all calls
/// (<see cref="ConnectionLimits.MaxPartialMessageBytes"/>), each held at most <see cref="ConnectionLimits.MessageReadTimeout"/>.
/// Kestrel's minimum request body rate does not do it: grpc-dotnet turns it off for streaming calls, and for a unary
/// call it is an average over the whole request, which a fast start keeps above the minimum for hours.
/// </summary>
internal sealed class PartialMessageGuard(ConnectionLimits limits, SlowClientLog log)
{
    private long _held;

    public long Budget { get; } = limits.MaxPartialMessageBytes;

    public TimeSpan Timeout { get; } = limits.MessageReadTimeout;

    /// <summary>Bytes held now by all calls (for tests and metrics).</summary>
    public long Held => Interlocked.Read(ref _held);

    public long Add(long bytes) => Interlocked.Add(ref _held, bytes);

    public void Count(SlowClientEvent what) => log.Count(what);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            await next(context);
            return;
        }
        var reader = new PartialMessageReader(context.Request.BodyReader, context, this);
        context.Features.Set<IRequestBodyPipeFeature>(new BodyPipe(reader));
        try
        {
            await next(context);
        }
        finally
        {
            reader.Release();
        }
    }

    private sealed class BodyPipe(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }
}
