using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>The test service, health and reflection on real Kestrel at 127.0.0.1:0, and a channel to it, shared by a test collection.</summary>
public sealed class GrpcServerFixture : IAsyncLifetime
{
    internal TestServiceImpl Service { get; } = new();

    internal ApiTestHost Server { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await StartAsync(Service);
        Channel = Server.CreateChannel();
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A host of <paramref name="service"/> and the Pinger (plus health and reflection).</summary>
    internal static Task<ApiTestHost> StartAsync(TestServiceImpl service, ApiTestHostOptions? options = null) => ApiTestHost.StartAsync(
        services =>
        {
            services.AddSingleton(service);
            services.AddSingleton<PingerImpl>();
        },
        endpoints =>
        {
            endpoints.MapGrpcService<TestServiceImpl>();
            endpoints.MapGrpcService<PingerImpl>();
        },
        options);
}

[CollectionDefinition(Name)]
public sealed class SharedGrpcServer : ICollectionFixture<GrpcServerFixture>
{
    public const string Name = "grpc server";
}
