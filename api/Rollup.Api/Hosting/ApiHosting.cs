using System.Net;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rollup.Api.Hosting;

/// <summary>
/// The gRPC API on grpc-dotnet and Kestrel, the same for a node and for tests: the HTTP/2 endpoint and its limits,
/// the call options, and beside the rollup.v1 services the standard health and reflection services.
/// </summary>
public static class ApiHosting
{
    private const string ServingCheck = "serving";

    /// <summary>
    /// Sets Kestrel's limits (<see cref="ConnectionLimits"/>: connections, streams per connection, flow-control windows,
    /// idle and header timeouts; keepalive pings) and listens on
    /// <see cref="ApiListenOptions.Host"/>:<see cref="ApiListenOptions.Port"/> with HTTP/2 only: h2c with prior
    /// knowledge, or TLS when a certificate is configured; then on <see cref="ApiListenOptions.HttpEndpoint"/>, if set,
    /// for the HTTP/JSON API. With TLS a host built with <c>UseKestrelCore()</c> must also call
    /// <c>UseKestrelHttpsConfiguration()</c>.
    /// </summary>
    public static KestrelServerOptions ListenApi(this KestrelServerOptions kestrel, ApiListenOptions options)
    {
        var limits = options.Limits;
        kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConnections;
        kestrel.Limits.KeepAliveTimeout = limits.IdleConnectionTimeout;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        var http2 = kestrel.Limits.Http2;
        http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
        http2.InitialConnectionWindowSize = limits.ConnectionWindowBytes;
        http2.InitialStreamWindowSize = limits.StreamWindowBytes;
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
        if (options.HttpEndpoint is { } http)
        {
            kestrel.Listen(http, listen =>
            {
                listen.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        }
        return kestrel;
    }

    /// <summary>
    /// Registers grpc-dotnet with <see cref="ApiCallOptions"/> (the <c>Grpc</c> configuration section when the host
    /// has configuration, then <paramref name="configure"/>), server reflection and the gRPC health service. The
    /// health service answers SERVING for the server as a whole (the empty service name) while the host runs, and
    /// NOT_SERVING to open watches, which it then ends, once the host starts stopping.
    /// </summary>
    public static IServiceCollection AddApi(this IServiceCollection services, Action<ApiCallOptions>? configure = null)
    {
        services.AddOptions<ApiCallOptions>();
        services.AddSingleton<IConfigureOptions<ApiCallOptions>>(provider =>
            new ConfigureOptions<ApiCallOptions>(options => provider.GetService<IConfiguration>()?.GetSection(ApiCallOptions.Section).Bind(options)));
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.AddSingleton<IConfigureOptions<GrpcServiceOptions>>(provider =>
            new ConfigureOptions<GrpcServiceOptions>(grpc => Apply(provider.GetRequiredService<IOptions<ApiCallOptions>>().Value, grpc)));
        // JSON transcoding serves every method with a google.api.http option as an HTTP/JSON route (docs/http-api.md).
        services.AddGrpc(grpc => grpc.Interceptors.Add<ChainUnavailableInterceptor>()).AddJsonTranscoding();
        UseDecodeCheckingBinder(services);
        services.AddGrpcReflection();
        // With no check registered the server as a whole reports UNKNOWN: this one says it is up while the host runs.
        services.AddGrpcHealthChecks().AddCheck(ServingCheck, () => HealthCheckResult.Healthy("serving"));
        return services;
    }

    /// <summary>
    /// Watches every gRPC call's request messages (<see cref="PartialMessageGuard"/>): one begun but not complete
    /// within <see cref="ConnectionLimits.MessageReadTimeout"/>, or a read over the budget of
    /// <see cref="ConnectionLimits.MaxPartialMessageBytes"/>, resets its call; refused connections and reset calls
    /// are logged at most once a minute (<see cref="SlowClientLog"/>). Before the endpoints.
    /// </summary>
    public static SlowClientLog UseConnectionLimits(this IApplicationBuilder app, ConnectionLimits limits)
    {
        var services = app.ApplicationServices;
        var log = new SlowClientLog(services.GetRequiredService<ILoggerFactory>().CreateLogger("Rollup.Api.Limits"), limits, services.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(log.Dispose);
        var guard = new PartialMessageGuard(limits, log);
        app.Use(guard.InvokeAsync);
        return log;
    }

    /// <summary>Maps health and reflection (v1 and v1alpha, which list every gRPC service mapped on this host).</summary>
    public static IEndpointRouteBuilder MapApiInfrastructure(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }

    /// <summary>Replaces grpc-dotnet's binder of generated services with <see cref="DecodeCheckingMethodProvider{TService}"/>.</summary>
    private static void UseDecodeCheckingBinder(IServiceCollection services)
    {
        var binder = services.SingleOrDefault(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name == "BinderServiceMethodProvider`1")
            ?? throw new InvalidOperationException("grpc-dotnet's BinderServiceMethodProvider is not registered: this grpc-dotnet binds services otherwise, see DecodeCheckingMethodProvider");
        services.Remove(binder);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(DecodeCheckingMethodProvider<>));
    }

    private static void Apply(ApiCallOptions calls, GrpcServiceOptions grpc)
    {
        grpc.MaxReceiveMessageSize = calls.MaxReceiveMessageSize;
        grpc.MaxSendMessageSize = calls.MaxSendMessageSize;
        grpc.EnableDetailedErrors = calls.EnableDetailedErrors;
        grpc.ResponseCompressionAlgorithm = calls.CompressResponses ? "gzip" : null;
        grpc.ResponseCompressionLevel = calls.ResponseCompressionLevel;
    }
}
