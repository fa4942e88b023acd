using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Rollup.Api.Hosting;

/// <summary>
/// Where and how Kestrel listens: the gRPC endpoint (HTTP/2 only, h2c or TLS) and, when set, the HTTP/JSON API's own
/// endpoint. Two ports because cleartext HTTP/2 works only with prior knowledge, which Kestrel accepts on an
/// HTTP/2-only endpoint alone: on a cleartext HTTP/1.1-and-2 endpoint it speaks HTTP/1.1 only, and gRPC clients fail.
/// </summary>
public sealed class ApiListenOptions
{
    /// <summary>The IP address to bind. Default: <c>127.0.0.1</c> (loopback only).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one. Default: 0.</summary>
    public int Port { get; set; }

    /// <summary>
    /// The HTTP/JSON API's endpoint (port 0 picks a free one): HTTP/1.1 in cleartext, HTTP/1.1 and h2 by ALPN with the
    /// same certificate as gRPC. Default: none (the JSON routes then answer HTTP/2 callers on the gRPC endpoint only).
    /// </summary>
    public IPEndPoint? HttpEndpoint { get; set; }

    /// <summary>A PKCS#12 file to serve TLS (HTTP/2 over TLS, ALPN h2) with. Default: none, plaintext h2c.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>. Default: none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A certificate given in code, instead of <see cref="CertificatePath"/>. Default: none.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Idle time after which the server pings a connection (HTTP/2 PING) to find dead peers; null turns pings off. Default: 30 s.</summary>
    public TimeSpan? KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is closed. Default: 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Connections, streams, flow-control windows, partial messages and timeouts: what one client may hold.</summary>
    public ConnectionLimits Limits { get; set; } = new();

    public bool HasCertificate => Certificate is not null || CertificatePath is { Length: > 0 };

    internal X509Certificate2? LoadCertificate() =>
        Certificate ?? (CertificatePath is { Length: > 0 } path ? X509CertificateLoader.LoadPkcs12FromFile(path, CertificatePassword) : null);
}
