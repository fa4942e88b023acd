using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Rollup.Api;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Node.Bridge;
using Rollup.Node.Explorer;
using Rollup.Sequencer;
using Rollup.Sequencer.Api;

namespace Rollup.Node.Hosting;

/// <summary>
/// Runs a node. A sequencer: checks the native libraries, starts the sequencer (recovering from its data dir),
/// with an L1 configured the deposit watcher and the batch poster, and serves the rollup.v1 services with health
/// and reflection over gRPC. A validator: rebuilds the chain from L1 and serves the same reads and streams.
/// Everything stops on Ctrl-C or SIGTERM.
/// </summary>
public static partial class NodeRunner
{
    /// <summary>
    /// Runs until <paramref name="cancellation"/> or SIGTERM. <paramref name="whileRunning"/> (the devnet's
    /// market bootstrap and oracle feeder) runs alongside a sequencer once it serves.
    /// </summary>
    public static async Task<int> RunAsync(IConfiguration configuration, CancellationToken cancellation, Func<Sequencer.Sequencer, CancellationToken, Task>? whileRunning = null)
    {
        using var loggers = LoggerFactory.Create(logging => Logging(logging));
        NodeOptions options;
        try
        {
            options = NodeConfiguration.Load(configuration);
        }
        catch (OptionsException error)
        {
            await Console.Error.WriteLineAsync($"rollup: {error.Message}");
            return 2;
        }
        var logger = loggers.CreateLogger(options.Role == "validator" ? "Rollup.Validator" : "Rollup.Node");
        foreach (var result in NativeSelfCheck.Run())
        {
            if (!result.Ok)
            {
                LogSelfCheckFailed(logger, result.Component, result.Detail);
                return 3;
            }
            LogSelfCheck(logger, result.Component, result.Detail);
        }
        try
        {
            return options.Role switch
            {
                "sequencer" => await RunSequencerAsync(configuration, options, loggers, logger, whileRunning, cancellation),
                "validator" => await RunValidatorAsync(configuration, options, loggers, logger, cancellation),
                _ => throw new OptionsException($"Node:Role must be sequencer or validator, not '{options.Role}'"),
            };
        }
        catch (OptionsException error)
        {
            LogBadOptions(logger, error.Message);
            return 2;
        }
        catch (Storage.RocksDbException error)
        {
            LogStorageFailed(logger, options.DataDir, error.Message);
            return 5;
        }
        catch (Rollup.Bridge.L1.L1Exception error)
        {
            LogL1Failed(logger, options.L1Rpc ?? "", error.Message);
            return 6;
        }
    }

    private static async Task<int> RunSequencerAsync(IConfiguration configuration, NodeOptions options, ILoggerFactory loggers, ILogger logger, Func<Sequencer.Sequencer, CancellationToken, Task>? whileRunning, CancellationToken cancellation)
    {
        var sequencerOptions = SequencerFactory.Options(options);
        SequencerFactory.RefusePublishedKeys(options);
        var endpoints = Endpoints(options);
        if (sequencerOptions.Key.Address == DevKeys.SequencerKey.Address)
        {
            LogDevKey(logger, sequencerOptions.Key.Address.ToString());
        }
        await using var sequencer = Sequencer.Sequencer.Start(sequencerOptions, loggers.CreateLogger("Rollup.Sequencer"));
        var credited = await DevDeposits.ApplyAsync(options, sequencer);
        if (credited > 0)
        {
            LogDevDeposits(logger, credited);
        }
        await using var bridge = string.IsNullOrEmpty(options.L1Rpc) ? null : await L1Bridge.StartSequencerAsync(options, sequencer, loggers);
        // A bridge loop that fails stops admission as the sequencer's own loops do.
        _ = bridge?.Faults.Faulted.ContinueWith(failed => sequencer.Faults.Report(failed.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        using var reads = ReadPoolOf(options);
        var api = ApiServices.Of(new SubmissionService(sequencer), new QueryService(sequencer, reads, bridge?.Batches, bridge?.Games is { } games ? new Disputes.WatchedDisputeGames(games) : null), new StreamsService(sequencer));
        return await ServeAsync(configuration, options, endpoints, api, () => Registries(sequencer.Metrics.Registry, reads?.Registry, bridge?.MetricsRegistry), sequencer.Faults, null, logger, async token =>
        {
            LogStarted(logger, "sequencer", sequencerOptions.DataDir, options.ChainId, sequencer.Address.ToString(), sequencer.Read(e => e.Head.BlockNumber), endpoints.Grpc.ToString(), Describe(endpoints.Http), options.L1Rpc ?? "none");
            if (whileRunning is not null)
            {
                await whileRunning(sequencer, token);
            }
        }, cancellation);
    }

    private static async Task<int> RunValidatorAsync(IConfiguration configuration, NodeOptions options, ILoggerFactory loggers, ILogger logger, CancellationToken cancellation)
    {
        if (string.IsNullOrEmpty(options.L1Rpc))
        {
            throw new OptionsException("a validator needs Node:L1Rpc (--l1-rpc): it rebuilds the chain from L1");
        }
        var engineOptions = ChainSettings.Engine(options, verifySignatures: true);
        var dataDir = ChainSettings.DataDir(options);
        var endpoints = Endpoints(options);
        Directory.CreateDirectory(dataDir);
        using var chain = new ExecutedChain(ExecutionEngine.Open(Path.Combine(dataDir, "state"), engineOptions));
        await using var bridge = await L1Bridge.StartValidatorAsync(options, chain, loggers);
        using var reads = ReadPoolOf(options);
        var api = ApiServices.Of(new SubmissionRefusal(), new QueryService(chain, reads, bridge.Batches, bridge.Games is { } games ? new Disputes.WatchedDisputeGames(games) : null), new StreamsService(chain));
        // A validator whose state is not L1's says so in its health: NOT_SERVING with the batch and what differs (degraded,
        // still serving, for commitment fields no game decides).
        var disagreement = (ValidatorHealthCheck.Name, (IHealthCheck)new ValidatorHealthCheck(() => bridge.Validator?.Fault, () => bridge.Validator?.LastUndecided));
        return await ServeAsync(configuration, options, endpoints, api, () => Registries(bridge.MetricsRegistry, reads?.Registry), bridge.Faults, disagreement, logger, _ =>
        {
            LogStarted(logger, "validator", dataDir, options.ChainId, "-", chain.Read(e => e.Head.BlockNumber), endpoints.Grpc.ToString(), Describe(endpoints.Http), options.L1Rpc!);
            return Task.CompletedTask;
        }, cancellation);
    }

    /// <summary>The Query API's read threads; none with <c>ReadThreads = 0</c> (reads on the request's own thread pool thread).</summary>
    private static ReadPool? ReadPoolOf(NodeOptions options) =>
        options.ReadThreads < 0 || options.ReadQueueLimit < 1
            ? throw new OptionsException($"Node:ReadThreads must be 0 or more and Node:ReadQueueLimit positive (got {options.ReadThreads} and {options.ReadQueueLimit})")
            : options.ReadThreads == 0 ? null : new ReadPool(options.ReadThreads, options.ReadQueueLimit);

    private static Prometheus.CollectorRegistry[] Registries(params Prometheus.CollectorRegistry?[] registries)
    {
        var present = new List<Prometheus.CollectorRegistry>(registries.Length);
        foreach (var registry in registries)
        {
            if (registry is not null)
            {
                present.Add(registry);
            }
        }
        return [.. present];
    }

    private sealed record NodeEndpoints(IPEndPoint Grpc, IPEndPoint? Http, IPEndPoint? Metrics);

    private static NodeEndpoints Endpoints(NodeOptions options)
    {
        var endpoint = IPEndPoint.TryParse(options.GrpcEndpoint, out var parsed) ? parsed : throw new OptionsException($"Node:GrpcEndpoint is not ip:port: '{options.GrpcEndpoint}'");
        if (!string.IsNullOrEmpty(options.TlsCertificatePath) && !File.Exists(options.TlsCertificatePath))
        {
            throw new OptionsException($"Node:TlsCertificatePath not found: '{options.TlsCertificatePath}'");
        }
        return new NodeEndpoints(endpoint, Optional(options.HttpEndpoint, nameof(NodeOptions.HttpEndpoint)), Optional(options.MetricsEndpoint, nameof(NodeOptions.MetricsEndpoint)));
    }

    private static IPEndPoint? Optional(string? value, string key) =>
        string.IsNullOrEmpty(value) ? null
        : IPEndPoint.TryParse(value, out var parsed) ? parsed
        : throw new OptionsException($"Node:{key} is not ip:port: '{value}'");

    private static async Task<int> ServeAsync(
        IConfiguration configuration,
        NodeOptions options,
        NodeEndpoints endpoints,
        ApiServices api,
        Func<Prometheus.CollectorRegistry[]> metricsRegistries,
        LoopFaults faults,
        (string Name, IHealthCheck Check)? nodeCheck,
        ILogger logger,
        Func<CancellationToken, Task> started,
        CancellationToken cancellation)
    {
        var limits = ConnectionLimitsOf(configuration);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "rollup" });
        builder.Configuration.AddConfiguration(configuration);
        Logging(builder.Logging);
        // After the defaults, so a Logging section of the configuration can turn them back up.
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.WebHost.UseKestrelCore();
        if (!string.IsNullOrEmpty(options.TlsCertificatePath))
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenApi(new ApiListenOptions
            {
                Host = endpoints.Grpc.Address.ToString(),
                Port = endpoints.Grpc.Port,
                HttpEndpoint = endpoints.Http,
                CertificatePath = options.TlsCertificatePath,
                CertificatePassword = options.TlsCertificatePassword,
                Limits = limits,
            });
            if (endpoints.Metrics is { } metrics)
            {
                kestrel.Listen(metrics, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
            }
        });
        builder.Services.AddRouting();
        builder.Services.AddApi();
        // Health tells the truth: NOT_SERVING, with the loop and the reason, once a background loop has failed.
        var health = builder.Services.AddHealthChecks().AddCheck(LoopHealthCheck.Name, new LoopHealthCheck(faults));
        if (nodeCheck is { } check)
        {
            health.AddCheck(check.Name, check.Check);
        }
        api.Register(builder.Services);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        await using var app = builder.Build();
        app.UseConnectionLimits(limits);
        app.UseRouting();
        app.UseHttpParameterCheck();
        api.Map(app);
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = MetricsText.ContentType;
            await MetricsText.WriteAsync(context.Response.Body, metricsRegistries(), context.RequestAborted);
        });
        app.MapApiInfrastructure();
        app.MapExplorer();
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException error)
        {
            LogBadOptions(logger, $"cannot listen on {endpoints.Grpc}, {Describe(endpoints.Http)} or {Describe(endpoints.Metrics)}: {error.Message}");
            return 4;
        }
        // Ctrl-C reaches the command line's token, SIGTERM the host's lifetime: either stops the node.
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation, lifetime.ApplicationStopping);
        var running = RunUntilStoppedAsync(started, stopping.Token);
        if (await Task.WhenAny(running, faults.Faulted) == faults.Faulted)
        {
            // Serve NOT_SERVING and UNAVAILABLE for as long as the shutdown takes, then exit non-zero for a restart into recovery.
            LogExitingOnFault(logger, LoopFailedExitCode, faults.Faulted.Result.ToString());
            await stopping.CancelAsync();
            await running;
            await app.StopAsync(CancellationToken.None);
            return LoopFailedExitCode;
        }
        await running;
        LogStopping(logger);
        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>The <c>Connections</c> section over <see cref="ConnectionLimits"/>' defaults, checked.</summary>
    private static ConnectionLimits ConnectionLimitsOf(IConfiguration configuration)
    {
        var limits = new ConnectionLimits();
        configuration.GetSection(ConnectionLimits.Section).Bind(limits);
        if (limits.MaxConnections < 1 || limits.MaxStreamsPerConnection < 1 || limits.MaxPartialMessageBytes < 1)
        {
            throw new OptionsException("Connections:MaxConnections, MaxStreamsPerConnection and MaxPartialMessageBytes must be positive");
        }
        if (limits.ConnectionWindowBytes < 65_535 || limits.StreamWindowBytes < 65_535)
        {
            throw new OptionsException("Connections:ConnectionWindowBytes and StreamWindowBytes must be at least 65535 (HTTP/2's initial window)");
        }
        if (limits.MessageReadTimeout <= TimeSpan.Zero || limits.IdleConnectionTimeout <= TimeSpan.Zero || limits.RequestHeadersTimeout <= TimeSpan.Zero)
        {
            throw new OptionsException("Connections:MessageReadTimeout, IdleConnectionTimeout and RequestHeadersTimeout must be positive");
        }
        return limits;
    }

    /// <summary>The exit code of a node stopped by a failed background loop: restart it, recovery follows.</summary>
    public const int LoopFailedExitCode = 7;

    private static async Task RunUntilStoppedAsync(Func<CancellationToken, Task> started, CancellationToken stopping)
    {
        try
        {
            await started(stopping);
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "stopping with exit code {ExitCode}: {Fault}")]
    private static partial void LogExitingOnFault(ILogger logger, int exitCode, string fault);

    /// <summary>
    /// One-line console logs with UTC timestamps, the same for every part of a node or a devnet. ASP.NET Core and
    /// grpc-dotnet log every request and call at Information (four lines a call, a disk filled by a flood of bad
    /// requests): they log warnings and above unless the configuration's Logging section asks for more.
    /// </summary>
    internal static ILoggingBuilder Logging(ILoggingBuilder logging) => logging
        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
        .AddFilter("Grpc", LogLevel.Warning)
        // Kestrel warns once per refused connection; SlowClientLog counts them into one line a minute instead.
        .AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Error)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "self-check {Component}: {Detail}")]
    private static partial void LogSelfCheck(ILogger logger, string component, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "self-check {Component} failed: {Detail}")]
    private static partial void LogSelfCheckFailed(ILogger logger, string component, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "bad configuration: {Detail}")]
    private static partial void LogBadOptions(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the sequencer signs with the devnet's public key {Address}: fine for a devnet, never for anything of value")]
    private static partial void LogDevKey(ILogger logger, string address);

    private static string Describe(IPEndPoint? endpoint) => endpoint?.ToString() ?? "none";

    [LoggerMessage(Level = LogLevel.Information, Message = "{Role} started: data dir {DataDir}, chain id {ChainId}, sequencer {Sequencer}, at block {Block}, gRPC on {Endpoint}, HTTP/JSON on {Http}, L1 {L1}; Ctrl-C stops it")]
    private static partial void LogStarted(ILogger logger, string role, string dataDir, ulong chainId, string sequencer, ulong block, string endpoint, string http, string l1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "credited {Count} devnet deposits from Node:DevDeposits (no L1 behind them)")]
    private static partial void LogDevDeposits(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "cannot open the data in {DataDir} (another node on the same directory?): {Detail}")]
    private static partial void LogStorageFailed(ILogger logger, string dataDir, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "cannot reach L1 at {L1}: {Detail}")]
    private static partial void LogL1Failed(ILogger logger, string l1, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "node stopping")]
    private static partial void LogStopping(ILogger logger);
}
