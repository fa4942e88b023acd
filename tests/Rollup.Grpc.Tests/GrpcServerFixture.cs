namespace Rollup.Grpc.Tests;

/// <summary>One Kestrel server on 127.0.0.1:0 with the test service, health and reflection, and a channel to it, shared by a test collection.</summary>
public sealed class GrpcServerFixture : IAsyncLifetime
{
    internal TestServiceImpl Service { get; } = new();

    public GrpcServer Server { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = new GrpcServer(new GrpcServerOptions { ShutdownTimeout = TimeSpan.FromSeconds(1) }, [Service.Definition, TestServiceImpl.Pinger]);
        await Server.StartAsync();
        Channel = GrpcChannel.ForAddress(Server.Address);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedGrpcServer : ICollectionFixture<GrpcServerFixture>
{
    public const string Name = "grpc server";
}
