using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rollup.Node.Hosting;

/// <summary>The node's main job. For now: check the native substrate, open the data directory, run until stopped.</summary>
internal sealed partial class NodeService(IOptions<NodeOptions> options, ILogger<NodeService> logger, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var result in NativeSelfCheck.Run())
        {
            if (!result.Ok)
            {
                LogSelfCheckFailed(result.Component, result.Detail);
                Environment.ExitCode = 3;
                lifetime.StopApplication();
                return;
            }
            LogSelfCheck(result.Component, result.Detail);
        }
        var dataDir = Path.GetFullPath(options.Value.DataDir);
        Directory.CreateDirectory(dataDir);
        LogStarted(dataDir, options.Value.ChainId);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            LogStopping();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "self-check {Component}: {Detail}")]
    private partial void LogSelfCheck(string component, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "self-check {Component} failed: {Detail}")]
    private partial void LogSelfCheckFailed(string component, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "node started: data dir {DataDir}, chain id {ChainId}; Ctrl-C stops it")]
    private partial void LogStarted(string dataDir, ulong chainId);

    [LoggerMessage(Level = LogLevel.Information, Message = "node stopping")]
    private partial void LogStopping();
}
