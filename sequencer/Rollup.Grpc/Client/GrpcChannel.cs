using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;

namespace Rollup.Grpc;

/// <summary>
/// A client connection to one gRPC server: an HTTP/2 <see cref="SocketsHttpHandler"/> (h2c with
/// prior knowledge for <c>http://</c>, ALPN h2 for <c>https://</c>) whose single connection carries
/// many concurrent calls as streams. Thread-safe; make one per server and share it.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    internal const string UserAgent = "grpc-dotnet-rollup/1.0";

    private readonly ConcurrentDictionary<string, Uri> _uris = new(StringComparer.Ordinal);
    private readonly bool _disposeInvoker;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"a gRPC address is http:// or https://, not {address}", nameof(address));
        }
        Address = address;
        Options = options;
        RequestCompression = options.CompressRequests ? options.RequestCompressionLevel : null;
        HttpMessageHandler handler;
        if (options.HttpHandler is { } given)
        {
            handler = given;
            _disposeInvoker = options.DisposeHttpHandler;
        }
        else
        {
            var sockets = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = options.EnableMultipleHttp2Connections,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = options.KeepAlivePingDelay ?? Timeout.InfiniteTimeSpan,
                KeepAlivePingTimeout = options.KeepAlivePingTimeout,
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                ConnectTimeout = options.ConnectTimeout,
                AutomaticDecompression = DecompressionMethods.None,
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
            };
            options.ConfigureHandler?.Invoke(sockets);
            handler = sockets;
            _disposeInvoker = true;
        }
        Invoker = new HttpMessageInvoker(handler, disposeHandler: _disposeInvoker);
    }

    public Uri Address { get; }

    public GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker { get; }

    internal CompressionLevel? RequestCompression { get; }

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) => ForAddress(new Uri(address), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null) => new(address, options ?? new GrpcChannelOptions());

    /// <summary>Calls a unary method; throws <see cref="RpcException"/> unless the status is OK.</summary>
    public Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        CheckKind(method.Type, MethodType.Unary, method);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        try
        {
            call.Start(request);
        }
        catch (RpcException error)
        {
            // E.g. the request is over the send limit: fail the task, like every other failure.
            return Task.FromException<TResponse>(error);
        }
        return call.ReadSingleResponseAsync();
    }

    /// <summary>Starts a server-streaming call: read <see cref="AsyncServerStreamingCall{TResponse}.ResponseStream"/> to its end, then dispose.</summary>
    public AsyncServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        CheckKind(method.Type, MethodType.ServerStreaming, method);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.Start(request);
        return new AsyncServerStreamingCall<TResponse>(call, call);
    }

    /// <summary>Starts a client-streaming call: write requests, complete the request stream, await the response.</summary>
    public AsyncClientStreamingCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        CheckKind(method.Type, MethodType.ClientStreaming, method);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(call, call.ReadSingleResponseAsync(), call);
    }

    /// <summary>Starts a bidirectional call: write and read concurrently; complete the request stream when done writing.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        CheckKind(method.Type, MethodType.DuplexStreaming, method);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(call, call, call);
    }

    public void Dispose() => Invoker.Dispose();

    internal Uri GetUri(string path) => _uris.GetOrAdd(path, static (key, address) => new Uri(address, key), Address);

    private static void CheckKind(MethodType actual, MethodType expected, object method)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{method} is {actual}, not {expected}", nameof(method));
        }
    }
}
