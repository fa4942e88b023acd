using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rollup.Grpc.Tests;

/// <summary>
/// A gRPC call without a server: a <see cref="DefaultHttpContext"/> whose request body is a pipe the
/// test writes into, whose response body is a memory stream, with trailer and reset features that
/// record what the handler did.
/// </summary>
internal sealed class FakeGrpcCall : IDisposable
{
    private readonly CancellationTokenSource _aborted = new();
    private readonly MemoryStream _responseBody = new();

    public FakeGrpcCall(string path, string? contentType = "application/grpc", string protocol = "HTTP/2", params (string Name, string Value)[] headers)
    {
        HttpContext = new DefaultHttpContext();
        var request = HttpContext.Request;
        request.Method = "POST";
        request.Path = path;
        request.Protocol = protocol;
        request.ContentType = contentType;
        foreach (var (name, value) in headers)
        {
            request.Headers.Append(name, value);
        }
        HttpContext.Features.Set<IRequestBodyPipeFeature>(new RequestBodyPipe(RequestPipe.Reader));
        HttpContext.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(_responseBody));
        HttpContext.Features.Set<IHttpResponseTrailersFeature>(Trailers);
        HttpContext.Features.Set<IHttpResetFeature>(Reset);
        HttpContext.RequestAborted = _aborted.Token;
    }

    /// <summary>Inline scheduling: a reader waiting for bytes resumes during the writer's flush, so tests observe each step.</summary>
    public Pipe RequestPipe { get; } = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));

    public DefaultHttpContext HttpContext { get; }

    public TrailersFeature Trailers { get; } = new();

    public ResetFeature Reset { get; } = new();

    public static GrpcServiceOptions DefaultOptions => new();

    /// <summary>Runs the method's handler, then completes the response as Kestrel does when a request delegate returns.</summary>
    public static Task RunAsync(GrpcMethodDefinition method, FakeGrpcCall call, GrpcServiceOptions? options = null) =>
        call.RunAsync(method.CreateHandler(new ServerMethodSettings(options ?? DefaultOptions, NullLogger.Instance)));

    public async Task RunAsync(ServerCallHandler handler)
    {
        await handler.HandleCallAsync(HttpContext);
        await HttpContext.Response.CompleteAsync();
    }

    public static byte[] Frame(ReadOnlySpan<byte> payload, byte flag = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public async Task WriteAsync(byte[] bytes, bool complete = false)
    {
        await RequestPipe.Writer.WriteAsync(bytes);
        if (complete)
        {
            await RequestPipe.Writer.CompleteAsync();
        }
    }

    public Task CompleteRequestAsync() => RequestPipe.Writer.CompleteAsync().AsTask();

    public void Abort() => _aborted.Cancel();

    /// <summary>Whether the status went in the headers (Trailers-Only).</summary>
    public bool TrailersOnly => HttpContext.Response.Headers.ContainsKey("grpc-status");

    public StatusCode Status => (StatusCode)int.Parse(
        TrailersOnly ? HttpContext.Response.Headers["grpc-status"].ToString() : Trailers.Trailers["grpc-status"].ToString(),
        System.Globalization.CultureInfo.InvariantCulture);

    public string RawMessage => (TrailersOnly ? HttpContext.Response.Headers["grpc-message"] : Trailers.Trailers["grpc-message"]).ToString();

    public string Message => PercentEncoding.Decode(RawMessage);

    public List<(bool Compressed, byte[] Payload)> ResponseFrames => RawGrpc.ParseFrames(_responseBody.ToArray());

    public void Dispose()
    {
        _aborted.Dispose();
        _responseBody.Dispose();
    }

    public sealed class TrailersFeature : IHttpResponseTrailersFeature
    {
        public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();
    }

    public sealed class ResetFeature : IHttpResetFeature
    {
        public int? ErrorCode { get; private set; }

        public void Reset(int errorCode) => ErrorCode = errorCode;
    }

    private sealed class RequestBodyPipe(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }
}
