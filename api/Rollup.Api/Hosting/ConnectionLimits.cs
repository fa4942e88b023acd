namespace Rollup.Api.Hosting;

/// <summary>
/// What one client may hold of the node: connections, streams, bytes of a message not yet complete, and time. Bound
/// from the <c>Connections</c> configuration section (<c>ROLLUP__CONNECTIONS__MAXCONNECTIONS=...</c>); the defaults
/// below are the only ones (docs/configuration.md explains each).
/// </summary>
/// <remarks>
/// Together they bound what stalled clients can pin: at most <see cref="MaxPartialMessageBytes"/> (and a quarter more
/// for small messages) of messages begun but not complete, plus per connection at most
/// <see cref="ConnectionWindowBytes"/> sent but not yet read, for at most <see cref="MessageReadTimeout"/>: with the
/// defaults 160 MiB + 1,024 x 256 KiB = 416 MiB over an idle node, however the connections behave.
/// </remarks>
public sealed class ConnectionLimits
{
    public const string Section = "Connections";

    /// <summary>Concurrent connections to the whole server (gRPC, HTTP/JSON and metrics endpoints); more are refused (closed at once). Default: 1,024.</summary>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>Concurrent calls (HTTP/2 streams) one connection may carry; more are refused with REFUSED_STREAM. Default: 100 (Kestrel's own).</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>HTTP/2 connection flow-control window: what a client may send on a connection before the server has read it. Default: 256 KiB.</summary>
    public int ConnectionWindowBytes { get; set; } = 256 * 1024;

    /// <summary>HTTP/2 stream flow-control window: the same for one call. Default: 128 KiB.</summary>
    public int StreamWindowBytes { get; set; } = 128 * 1024;

    /// <summary>
    /// All the bytes of request messages begun but not yet complete, over every call: a call whose read would go over
    /// is reset. Calls that hold at most <see cref="SmallHoldBytes"/> may use a further quarter, so that large stalled
    /// messages do not shut ordinary small ones out. Default: 128 MiB.
    /// </summary>
    public long MaxPartialMessageBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// How long a call may hold a message begun but not complete: from its first byte, or from the last message it
    /// completed, until it completes one; past it the call is reset. A stream idle between messages is not timed.
    /// Default: 15 s (a 4 MiB message then needs 280 KB/s).
    /// </summary>
    public TimeSpan MessageReadTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a connection with no open call stays open. Default: 60 s.</summary>
    public TimeSpan IdleConnectionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a client has to send a request's headers. Default: 10 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What a call may hold and still count as small for <see cref="MaxPartialMessageBytes"/>: 64 KiB.</summary>
    public const int SmallHoldBytes = 64 * 1024;
}
