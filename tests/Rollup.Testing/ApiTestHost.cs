using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rollup.Api.Hosting;

namespace Rollup.Testing;

/// <summary>What a test host serves and how: the node's own <see cref="ApiHosting"/> configuration either way.</summary>
public sealed class ApiTestHostOptions
{
    /// <summary>In process on TestServer (no sockets) instead of real Kestrel on 127.0.0.1:0.</summary>
    public bool InProcess { get; init; }

    public ApiListenOptions Listen { get; init; } = new();

    public Action<ApiCallOptions>? Calls { get; init; }

    /// <summary>Also runs before routing, e.g. to wrap the response body.</summary>
    public Action<IApplicationBuilder>? Middleware { get; init; }

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the host's log goes (nowhere by default).</summary>
    public ILoggerProvider? Logs { get; init; }
}

/// <summary>gRPC services hosted as a node hosts them (Kestrel limits, call options, health, reflection), for tests.</summary>
public sealed class ApiTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestServer? _testServer;
    private bool _stopped;

    private ApiTestHost(WebApplication app, TestServer? testServer, Uri address)
    {
        _app = app;
        _testServer = testServer;
        Address = address;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:40123</c> (https with a certificate).</summary>
    public Uri Address { get; }

    public int Port => Address.Port;

    public IServiceProvider Services => _app.Services;

    public static async Task<ApiTestHost> StartAsync(Action<IServiceCollection> register, Action<IEndpointRouteBuilder> map, ApiTestHostOptions? options = null)
    {
        options ??= new ApiTestHostOptions();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(ApiTestHost).Assembly.GetName().Name });
        if (options.InProcess)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.UseKestrelCore();
            if (options.Listen.HasCertificate)
            {
                builder.WebHost.UseKestrelHttpsConfiguration();
            }
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenApi(options.Listen));
        }
        builder.Services.AddLogging(logging =>
        {
            if (options.Logs is not null)
            {
                logging.AddProvider(options.Logs);
            }
        });
        builder.Services.AddRouting();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddApi(options.Calls);
        register(builder.Services);
        var app = builder.Build();
        options.Middleware?.Invoke(app);
        app.UseConnectionLimits(options.Listen.Limits);
        app.UseRouting();
        app.UseHttpParameterCheck();
        map(app);
        app.MapApiInfrastructure();
        await app.StartAsync();
        if (options.InProcess)
        {
            var testServer = (TestServer)app.Services.GetRequiredService<IServer>();
            return new ApiTestHost(app, testServer, testServer.BaseAddress);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiTestHost(app, null, new Uri(address));
    }

    /// <summary>A channel to this host: over TestServer's handler in process, else a real HTTP/2 connection.</summary>
    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null)
    {
        options ??= new GrpcChannelOptions();
        if (_testServer is not null)
        {
            options.HttpHandler = _testServer.CreateHandler();
        }
        return GrpcChannel.ForAddress(Address, options);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
