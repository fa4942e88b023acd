using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Rollup.Grpc;

public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapGrpcService</c> needs: options (bound from the configuration section
    /// <c>Grpc</c> when the host has configuration, then <paramref name="configure"/>), the service
    /// registry, the health service, routing.
    /// </summary>
    public static IServiceCollection AddGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        services.AddOptions<GrpcServiceOptions>();
        services.AddSingleton<IConfigureOptions<GrpcServiceOptions>>(provider =>
            new ConfigureOptions<GrpcServiceOptions>(options => provider.GetService<IConfiguration>()?.GetSection(GrpcServiceOptions.Section).Bind(options)));
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<GrpcHealthService>();
        services.AddRouting();
        return services;
    }
}

/// <summary>Maps gRPC services onto endpoint routing: one <c>POST /package.Service/Method</c> endpoint per method.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    private static readonly string[] PostOnly = ["POST"];
    private static readonly ConditionalWeakTable<IEndpointRouteBuilder, object> UnimplementedMapped = [];

    /// <summary>
    /// Maps every method of <paramref name="service"/>, and once per route builder a fallback
    /// <c>POST /{service}/{method}</c> that answers gRPC calls to unknown methods with UNIMPLEMENTED
    /// (requests that are not gRPC get 404 there).
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, GrpcServiceDefinition service)
    {
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("gRPC services are not registered: call services.AddGrpc() first");
        registry.Add(service);
        var settings = CreateSettings(endpoints.ServiceProvider);
        var conventions = new List<IEndpointConventionBuilder>(service.Methods.Count);
        foreach (var method in service.Methods)
        {
            var handler = method.CreateHandler(settings);
            conventions.Add(endpoints.MapMethods(method.Path, PostOnly, new RequestDelegate(handler.HandleCallAsync)).WithDisplayName("gRPC " + method.Path));
        }
        MapUnimplemented(endpoints, settings, registry);
        return new CompositeConventionBuilder(conventions);
    }

    /// <summary>Maps <c>grpc.health.v1.Health</c>, answered by the <see cref="GrpcHealthService"/> singleton (set statuses on it).</summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService(endpoints.ServiceProvider.GetRequiredService<GrpcHealthService>().Definition);

    /// <summary>Maps server reflection, v1 and v1alpha, describing every service mapped on this server (also those mapped later).</summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("gRPC services are not registered: call services.AddGrpc() first");
        var reflection = new GrpcReflectionService(() => registry.Services);
        return new CompositeConventionBuilder([endpoints.MapGrpcService(reflection.V1Definition), endpoints.MapGrpcService(reflection.V1AlphaDefinition)]);
    }

    internal static ServerMethodSettings CreateSettings(IServiceProvider services)
    {
        var options = services.GetService<IOptions<GrpcServiceOptions>>()?.Value ?? new GrpcServiceOptions();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Rollup.Grpc.Server") ?? NullLogger.Instance;
        return new ServerMethodSettings(options, logger);
    }

    private static void MapUnimplemented(IEndpointRouteBuilder endpoints, ServerMethodSettings settings, GrpcServiceRegistry registry)
    {
        lock (UnimplementedMapped)
        {
            if (UnimplementedMapped.TryGetValue(endpoints, out _))
            {
                return;
            }
            UnimplementedMapped.Add(endpoints, registry);
        }
        var handler = new UnimplementedCallHandler(settings, registry.IsRegistered);
        endpoints.MapMethods("{unimplementedService}/{unimplementedMethod}", PostOnly, new RequestDelegate(context =>
        {
            if (!GrpcProtocol.IsGrpcContentType(context.Request.ContentType))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return handler.HandleCallAsync(context);
        })).WithDisplayName("gRPC unimplemented");
    }

    private sealed class CompositeConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
