using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rollup.Grpc;
using Rollup.Sequencer.Api;

namespace Rollup.Node.Hosting;

/// <summary>
/// Runs a node: checks the native libraries, starts the sequencer (recovering from its data dir), serves
/// the rollup.v1 services with health and reflection over gRPC, and stops everything on Ctrl-C or SIGTERM.
/// </summary>
public static partial class NodeRunner
{
    public static async Task<int> RunAsync(IConfiguration configuration, CancellationToken cancellation)
    {
        using var loggers = LoggerFactory.Create(logging => Logging(logging));
        var logger = loggers.CreateLogger("Rollup.Node");
        foreach (var result in NativeSelfCheck.Run())
        {
            if (!result.Ok)
            {
                LogSelfCheckFailed(logger, result.Component, result.Detail);
                return 3;
            }
            LogSelfCheck(logger, result.Component, result.Detail);
        }
        var options = NodeConfiguration.Load(configuration);
        Sequencer.SequencerOptions sequencerOptions;
        IPEndPoint endpoint;
        IPEndPoint? metrics = null;
        try
        {
            sequencerOptions = SequencerFactory.Options(options);
            endpoint = IPEndPoint.TryParse(options.GrpcEndpoint, out var parsed) ? parsed : throw new OptionsException($"Node:GrpcEndpoint is not ip:port: '{options.GrpcEndpoint}'");
            if (!string.IsNullOrEmpty(options.MetricsEndpoint))
            {
                metrics = IPEndPoint.TryParse(options.MetricsEndpoint, out var parsedMetrics) ? parsedMetrics : throw new OptionsException($"Node:MetricsEndpoint is not ip:port: '{options.MetricsEndpoint}'");
            }
        }
        catch (OptionsException error)
        {
            LogBadOptions(logger, error.Message);
            return 2;
        }
        if (sequencerOptions.Key.Address == DevKeys.SequencerKey.Address)
        {
            LogDevKey(logger, sequencerOptions.Key.Address.ToString());
        }

        await using var sequencer = Sequencer.Sequencer.Start(sequencerOptions, loggers.CreateLogger("Rollup.Sequencer"));
        try
        {
            var credited = await DevDeposits.ApplyAsync(options, sequencer);
            if (credited > 0)
            {
                LogDevDeposits(logger, credited);
            }
        }
        catch (OptionsException error)
        {
            LogBadOptions(logger, error.Message);
            return 2;
        }
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "rollup" });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        Logging(builder.Logging);
        builder.WebHost.UseKestrelCore();
        if (!string.IsNullOrEmpty(options.TlsCertificatePath))
        {
            if (!File.Exists(options.TlsCertificatePath))
            {
                LogBadOptions(logger, $"Node:TlsCertificatePath not found: '{options.TlsCertificatePath}'");
                return 2;
            }
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenGrpc(new GrpcServerOptions
            {
                Host = endpoint.Address.ToString(),
                Port = endpoint.Port,
                CertificatePath = options.TlsCertificatePath,
                CertificatePassword = options.TlsCertificatePassword,
            });
            if (metrics is not null)
            {
                kestrel.Listen(metrics, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
            }
        });
        builder.Services.AddRouting();
        builder.Services.AddGrpc();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        await using var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService(new SubmissionService(sequencer).Definition());
        app.MapGrpcService(new QueryService(sequencer).Definition());
        app.MapGrpcService(new StreamsService(sequencer).Definition());
        app.MapGet("/metrics", () => Results.Text(sequencer.RenderMetrics(), "text/plain; version=0.0.4"));
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException error)
        {
            LogBadOptions(logger, $"cannot listen on {endpoint}: {error.Message}");
            return 4;
        }
        LogStarted(logger, sequencerOptions.DataDir, options.ChainId, sequencer.Address.ToString(), sequencer.Read(e => e.Head.BlockNumber), endpoint.ToString());
        // Ctrl-C reaches the command line's token, SIGTERM the host's lifetime: either stops the node.
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            LogStopping(logger);
        }
        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    private static ILoggingBuilder Logging(ILoggingBuilder logging) => logging.AddSimpleConsole(o =>
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

    [LoggerMessage(Level = LogLevel.Information, Message = "node started: data dir {DataDir}, chain id {ChainId}, sequencer {Sequencer}, at block {Block}, gRPC on {Endpoint}; Ctrl-C stops it")]
    private static partial void LogStarted(ILogger logger, string dataDir, ulong chainId, string sequencer, ulong block, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "credited {Count} devnet deposits from Node:DevDeposits (no L1 behind them)")]
    private static partial void LogDevDeposits(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "node stopping")]
    private static partial void LogStopping(ILogger logger);
}
