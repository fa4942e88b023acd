using System.IO.Compression;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rollup.Api.Hosting;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>The node's <c>Grpc</c> configuration section reaches grpc-dotnet's options, with the documented defaults.</summary>
public sealed class ApiHostingTests
{
    private static GrpcServiceOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddApi();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
    }

    [Fact]
    public void Defaults_FourMiBInNoSendLimitNoCompressionNoDetail()
    {
        var options = Resolve([]);
        Assert.Equal(4 * 1024 * 1024, options.MaxReceiveMessageSize);
        Assert.Null(options.MaxSendMessageSize);
        Assert.Null(options.ResponseCompressionAlgorithm);
        Assert.False(options.EnableDetailedErrors);
    }

    [Fact]
    public void GrpcSection_BoundOntoGrpcDotnet()
    {
        var options = Resolve(new()
        {
            ["Grpc:MaxReceiveMessageSize"] = "1000",
            ["Grpc:MaxSendMessageSize"] = "2000",
            ["Grpc:CompressResponses"] = "true",
            ["Grpc:ResponseCompressionLevel"] = "Optimal",
            ["Grpc:EnableDetailedErrors"] = "true",
        });
        Assert.Equal(1000, options.MaxReceiveMessageSize);
        Assert.Equal(2000, options.MaxSendMessageSize);
        Assert.Equal("gzip", options.ResponseCompressionAlgorithm);
        Assert.Equal(CompressionLevel.Optimal, options.ResponseCompressionLevel);
        Assert.True(options.EnableDetailedErrors);
    }
}
