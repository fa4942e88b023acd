using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rollup.Grpc.Tests.Protos;

namespace Rollup.Grpc.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task Tls_CertificateConfigured_CallsOverHttpsWithAlpnH2()
    {
        using var certificate = SelfSigned();
        var service = new TestServiceImpl();
        await using var server = new GrpcServer(new GrpcServerOptions { Certificate = certificate, EnableReflection = false }, [service.Definition]);
        await server.StartAsync();
        Assert.Equal("https", server.Address.Scheme);

        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions
        {
            ConfigureHandler = handler => handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString(),
        });
        var reply = await channel.UnaryAsync(TestMethods.Echo, new EchoRequest { Text = "over tls" });
        Assert.Equal("over tls", reply.Text);

        using var call = channel.ServerStreaming(TestMethods.Count, new EchoRequest { Count = 3 });
        var count = 0;
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
            count++;
        }
        Assert.Equal(3, count);
    }

    [Fact]
    public async Task Tls_UntrustedCertificate_Unavailable()
    {
        using var certificate = SelfSigned();
        await using var server = new GrpcServer(new GrpcServerOptions { Certificate = certificate, EnableReflection = false, EnableHealth = true }, []);
        await server.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var check = new Method<Health.V1.HealthCheckRequest, Health.V1.HealthCheckResponse>(Health.V1.HealthReflection.Descriptor.Services[0].Methods[0]);
        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(check, new Health.V1.HealthCheckRequest()));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
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
