using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rollup.Grpc;

/// <summary>What every handler of a server shares: its options and its logger.</summary>
internal sealed record ServerMethodSettings(GrpcServiceOptions Options, ILogger Logger);

/// <summary>
/// The template every call goes through: check the content-type (415) and HTTP/2 (426), build the
/// call context, run the method, end the call with its status. One subclass per call kind.
/// </summary>
internal abstract class ServerCallHandler(string path, ServerMethodSettings settings)
{
    public string Path => path;

    protected ServerMethodSettings Settings => settings;

    public Task HandleCallAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            GrpcServerLog.UnsupportedContentType(settings.Logger, request.ContentType);
            httpContext.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return Task.CompletedTask;
        }
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            GrpcServerLog.UnsupportedProtocol(settings.Logger, request.Protocol);
            httpContext.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            httpContext.Response.Headers.Upgrade = "h2c";
            httpContext.Response.Headers.Connection = "Upgrade";
            return Task.CompletedTask;
        }
        var context = new ServerCallContext(httpContext, path, settings);
        context.Start();
        Task<IMessage?> run;
        try
        {
            run = RunAsync(context);
        }
        catch (Exception error)
        {
            run = Task.FromException<IMessage?>(error);
        }
        return EndAsync(context, run);
    }

    /// <summary>Runs the method; returns the single response of a unary or client-streaming method, null for the others.</summary>
    protected abstract Task<IMessage?> RunAsync(ServerCallContext context);

    private static async Task EndAsync(ServerCallContext context, Task<IMessage?> run)
    {
        IMessage? response = null;
        Exception? error = null;
        try
        {
            response = await run;
        }
        catch (Exception thrown)
        {
            error = thrown;
        }
        await context.EndCallAsync(response, error);
    }
}

internal sealed class UnaryCallHandler<TRequest, TResponse>(string path, ServerMethodSettings settings, MessageParser<TRequest> parser, UnaryServerMethod<TRequest, TResponse> method)
    : ServerCallHandler(path, settings)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task<IMessage?> RunAsync(ServerCallContext context)
    {
        var request = await context.ReadSingleMessageAsync(parser);
        return await method(request, context) ?? throw new RpcException(StatusCode.Internal, "The handler returned no response message.");
    }
}

internal sealed class ServerStreamingCallHandler<TRequest, TResponse>(string path, ServerMethodSettings settings, MessageParser<TRequest> parser, ServerStreamingServerMethod<TRequest, TResponse> method)
    : ServerCallHandler(path, settings)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task<IMessage?> RunAsync(ServerCallContext context)
    {
        var request = await context.ReadSingleMessageAsync(parser);
        await method(request, new ServerResponseStream<TResponse>(context), context);
        return null;
    }
}

internal sealed class ClientStreamingCallHandler<TRequest, TResponse>(string path, ServerMethodSettings settings, MessageParser<TRequest> parser, ClientStreamingServerMethod<TRequest, TResponse> method)
    : ServerCallHandler(path, settings)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task<IMessage?> RunAsync(ServerCallContext context) =>
        await method(new ServerRequestStream<TRequest>(context, parser), context)
            ?? throw new RpcException(StatusCode.Internal, "The handler returned no response message.");
}

internal sealed class DuplexStreamingCallHandler<TRequest, TResponse>(string path, ServerMethodSettings settings, MessageParser<TRequest> parser, DuplexStreamingServerMethod<TRequest, TResponse> method)
    : ServerCallHandler(path, settings)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task<IMessage?> RunAsync(ServerCallContext context)
    {
        await method(new ServerRequestStream<TRequest>(context, parser), new ServerResponseStream<TResponse>(context), context);
        return null;
    }
}

/// <summary>A path no registered method answers: UNIMPLEMENTED, still as a gRPC response (HTTP 200, Trailers-Only).</summary>
internal sealed class UnimplementedCallHandler(ServerMethodSettings settings, Func<string, bool> isKnownService)
    : ServerCallHandler("", settings)
{
    protected override Task<IMessage?> RunAsync(ServerCallContext context)
    {
        var path = context.HttpContext.Request.Path.Value ?? "";
        GrpcServerLog.Unimplemented(Settings.Logger, path);
        var slash = path.IndexOf('/', 1);
        var service = slash > 1 ? path[1..slash] : "";
        throw new RpcException(StatusCode.Unimplemented, isKnownService(service) ? "Method is unimplemented." : "Service is unimplemented.");
    }
}

internal sealed class ServerRequestStream<T>(ServerCallContext context, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("No message has been read.");

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == context.CancellationToken)
        {
            _current = await context.ReadMessageAsync(parser, context.CancellationToken);
        }
        else
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken);
            _current = await context.ReadMessageAsync(parser, linked.Token);
        }
        return _current is not null;
    }
}

internal sealed class ServerResponseStream<T>(ServerCallContext context) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default) => context.WriteMessageAsync(message, cancellationToken);

    public Task WriteManyAsync(IReadOnlyList<T> messages, CancellationToken cancellationToken = default) => context.WriteMessagesAsync(messages, cancellationToken);
}
