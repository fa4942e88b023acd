using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rollup.Grpc;

/// <summary>
/// A small self-contained gRPC host: Kestrel on one HTTP/2 endpoint, the given services, plus health
/// and reflection. For tests and tools; an application with its own WebApplication uses
/// <c>AddGrpc</c>, <c>ListenGrpc</c> and <c>MapGrpcService</c> instead.
/// </summary>
public sealed class GrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _started;
    private bool _stopped;

    public GrpcServer(GrpcServerOptions options, IEnumerable<GrpcServiceDefinition> services, Action<ILoggingBuilder>? configureLogging = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(GrpcServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        if (options.Certificate is not null || options.CertificatePath is { Length: > 0 })
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenGrpc(options));
        builder.Services.AddLogging(logging => configureLogging?.Invoke(logging));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        var calls = options.Calls;
        builder.Services.AddGrpc(target =>
        {
            target.MaxReceiveMessageSize = calls.MaxReceiveMessageSize;
            target.MaxSendMessageSize = calls.MaxSendMessageSize;
            target.CompressResponses = calls.CompressResponses;
            target.ResponseCompressionLevel = calls.ResponseCompressionLevel;
            target.EnableDetailedErrors = calls.EnableDetailedErrors;
        });
        _app = builder.Build();
        foreach (var service in services)
        {
            _app.MapGrpcService(service);
        }
        if (options.EnableHealth)
        {
            _app.MapGrpcHealthService();
        }
        if (options.EnableReflection)
        {
            _app.MapGrpcReflectionService();
        }
    }

    public IServiceProvider Services => _app.Services;

    public GrpcHealthService Health => _app.Services.GetRequiredService<GrpcHealthService>();

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:40123</c>; known after <see cref="StartAsync"/>.</summary>
    public Uri Address { get; private set; } = new("http://unbound");

    /// <summary>The bound port (the real one when 0 was asked for); known after <see cref="StartAsync"/>.</summary>
    public int Port => Address.Port;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken);
        _started = true;
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("the server reports no address");
        Address = new Uri(addresses.First());
    }

    /// <summary>Marks health NOT_SERVING, stops taking calls and waits for those in flight (up to the shutdown timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_started || _stopped)
        {
            return;
        }
        _stopped = true;
        Health.Shutdown();
        await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
