using System.IO.Compression;

namespace Rollup.Grpc;

/// <summary>
/// How calls are handled, whatever hosts them. Bound from the <c>Grpc</c> section
/// (<c>ROLLUP__GRPC__MAXRECEIVEMESSAGESIZE=...</c>) where the host uses configuration.
/// </summary>
public sealed class GrpcServiceOptions
{
    public const string Section = "Grpc";

    /// <summary>Largest request message accepted, after decompression, in bytes; larger ones end the call with RESOURCE_EXHAUSTED. Default: 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent, before compression, in bytes; null for no limit. Larger ones end the call with RESOURCE_EXHAUSTED. Default: null.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Compress response messages with gzip when the caller lists gzip in <c>grpc-accept-encoding</c>. Default: false.</summary>
    public bool CompressResponses { get; set; }

    /// <summary>The gzip level of compressed responses. Default: <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel ResponseCompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>Put a handler exception's type and message in <c>grpc-message</c> instead of a generic text. Default: false (they may leak internals).</summary>
    public bool EnableDetailedErrors { get; set; }
}
