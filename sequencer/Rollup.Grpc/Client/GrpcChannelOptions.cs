using System.IO.Compression;
using System.Net.Http;

namespace Rollup.Grpc;

/// <summary>How a <see cref="GrpcChannel"/> connects and what it accepts.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>Largest response message accepted, after decompression, in bytes; larger ones fail the call with RESOURCE_EXHAUSTED. Default: 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest request message sent, before compression, in bytes; null for no limit. Default: null.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Compress request messages with gzip (sends <c>grpc-encoding: gzip</c>). Default: false.</summary>
    public bool CompressRequests { get; set; }

    /// <summary>The gzip level of compressed requests. Default: <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel RequestCompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>Advertise <c>grpc-accept-encoding: identity,gzip</c> so the server may compress responses. Default: true.</summary>
    public bool AcceptCompressedResponses { get; set; } = true;

    /// <summary>Open another HTTP/2 connection when one reaches the server's stream limit, instead of queueing. Default: false (one connection, many streams).</summary>
    public bool EnableMultipleHttp2Connections { get; set; }

    /// <summary>Idle time after which the client pings the server while calls are active; null turns pings off (some servers punish frequent pings). Default: null.</summary>
    public TimeSpan? KeepAlivePingDelay { get; set; }

    /// <summary>How long a ping may go unanswered before the connection is dropped. Default: 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long establishing a connection may take. Default: 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Adjusts the <see cref="SocketsHttpHandler"/> the channel builds (e.g. TLS validation). Default: none.</summary>
    public Action<SocketsHttpHandler>? ConfigureHandler { get; set; }

    /// <summary>A handler to use instead of building one (e.g. a TestServer's). Default: none.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>. Default: true.</summary>
    public bool DisposeHttpHandler { get; set; } = true;
}

/// <summary>Per-call settings.</summary>
/// <param name="Headers">Custom metadata sent as request headers.</param>
/// <param name="Deadline">When the call fails with DEADLINE_EXCEEDED (sent as <c>grpc-timeout</c> and enforced locally); null for none.</param>
/// <param name="CancellationToken">Cancels the call: the stream is reset and the call fails with CANCELLED.</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTime? Deadline = null, CancellationToken CancellationToken = default)
{
    /// <summary>A deadline <paramref name="timeout"/> from now.</summary>
    public static CallOptions WithTimeout(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(Deadline: DateTime.UtcNow + timeout, CancellationToken: cancellationToken);
}
