using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Rollup.Sequencer.Tests.Grpc.Protos;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>TLS as the node serves it when Node:TlsCertificatePath is set: HTTP/2 by ALPN on the same endpoint.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Tls_CertificateConfigured_CallsOverHttpsWithAlpnH2()
    {
        using var certificate = SelfSigned();
        await using var server = await GrpcServerFixture.StartAsync(new TestServiceImpl(), new ApiTestHostOptions { Listen = new() { Certificate = certificate } });
        Assert.Equal("https", server.Address.Scheme);

        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        using var channel = server.CreateChannel(new GrpcChannelOptions { HttpHandler = handler });
        var client = new TestService.TestServiceClient(channel);
        var reply = await client.EchoAsync(new EchoRequest { Text = "over tls" });
        Assert.Equal("over tls", reply.Text);

        using var call = client.Count(new EchoRequest { Count = 3 });
        var count = 0;
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
            count++;
        }
        Assert.Equal(3, count);
    }

    [Fact]
    public async Task Tls_UntrustedCertificate_HandshakeRefused()
    {
        using var certificate = SelfSigned();
        await using var server = await GrpcServerFixture.StartAsync(new TestServiceImpl(), new ApiTestHostOptions { Listen = new() { Certificate = certificate } });
        using var channel = server.CreateChannel();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()));
        // The handshake fails on the client's certificate check (grpc-dotnet reports it as INTERNAL, with the cause).
        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.Contains(Causes(error.Status.DebugException), e => e is System.Security.Authentication.AuthenticationException);
    }

    private static IEnumerable<Exception> Causes(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            yield return error;
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }
}
