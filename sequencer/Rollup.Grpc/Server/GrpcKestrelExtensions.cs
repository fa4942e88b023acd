using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Rollup.Grpc;

public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Sets Kestrel's HTTP/2 limits for gRPC (streams per connection, keepalive pings) and listens on
    /// <see cref="GrpcServerOptions.Host"/>:<see cref="GrpcServerOptions.Port"/> with HTTP/2 only:
    /// h2c with prior knowledge, or TLS when a certificate is configured. With TLS the host must
    /// also call <c>UseKestrelHttpsConfiguration()</c> if it was built with <c>UseKestrelCore()</c>.
    /// </summary>
    public static KestrelServerOptions ListenGrpc(this KestrelServerOptions kestrel, GrpcServerOptions options)
    {
        var http2 = kestrel.Limits.Http2;
        http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        http2.KeepAlivePingDelay = options.KeepAlivePingDelay ?? TimeSpan.MaxValue;
        http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
        kestrel.AddServerHeader = false;
        var certificate = options.LoadCertificate();
        kestrel.Listen(IPAddress.Parse(options.Host), options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        });
        return kestrel;
    }
}
