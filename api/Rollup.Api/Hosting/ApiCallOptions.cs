using System.IO.Compression;

namespace Rollup.Api.Hosting;

/// <summary>
/// How calls are handled: message limits, response compression, error detail. Bound from the <c>Grpc</c>
/// configuration section (<c>ROLLUP__GRPC__MAXRECEIVEMESSAGESIZE=...</c>) and handed to grpc-dotnet.
/// </summary>
public sealed class ApiCallOptions
{
    public const string Section = "Grpc";

    /// <summary>The default of <see cref="MaxReceiveMessageSize"/>, as in every gRPC implementation: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Largest request message accepted, after decompression, in bytes; larger ones end the call with RESOURCE_EXHAUSTED. Default: 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent, in bytes; null for no limit. Larger ones end the call with RESOURCE_EXHAUSTED. Default: null.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Compress response messages with gzip when the caller lists gzip in <c>grpc-accept-encoding</c>. Default: false.</summary>
    public bool CompressResponses { get; set; }

    /// <summary>The gzip level of compressed responses. Default: <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel ResponseCompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>Put a handler exception's type and message in <c>grpc-message</c> instead of a generic text. Default: false (they may leak internals).</summary>
    public bool EnableDetailedErrors { get; set; }
}
