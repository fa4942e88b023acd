using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rollup.Node.Hosting;

/// <summary>The node's main job: check the native substrate, start the sequencer, run until stopped.</summary>
internal sealed partial class NodeService(IOptions<NodeOptions> options, ILogger<NodeService> logger, ILoggerFactory loggers, IHostApplicationLifetime lifetime, SequencerHolder holder) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var result in NativeSelfCheck.Run())
        {
            if (!result.Ok)
            {
                LogSelfCheckFailed(result.Component, result.Detail);
                Stop(3);
                return;
            }
            LogSelfCheck(result.Component, result.Detail);
        }
        Sequencer.SequencerOptions sequencerOptions;
        try
        {
            sequencerOptions = SequencerFactory.Options(options.Value);
        }
        catch (OptionsException error)
        {
            LogBadOptions(error.Message);
            Stop(2);
            return;
        }
        if (sequencerOptions.Key.Address == DevKeys.SequencerKey.Address)
        {
            LogDevKey(sequencerOptions.Key.Address.ToString());
        }
        var sequencer = Sequencer.Sequencer.Start(sequencerOptions, loggers.CreateLogger("Rollup.Sequencer"));
        holder.Set(sequencer);
        LogStarted(sequencerOptions.DataDir, options.Value.ChainId, sequencer.Address.ToString(), sequencer.Read(e => e.Head.BlockNumber));
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            LogStopping();
        }
        await holder.DisposeAsync();
    }

    private void Stop(int exitCode)
    {
        Environment.ExitCode = exitCode;
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "self-check {Component}: {Detail}")]
    private partial void LogSelfCheck(string component, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "self-check {Component} failed: {Detail}")]
    private partial void LogSelfCheckFailed(string component, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "bad configuration: {Detail}")]
    private partial void LogBadOptions(string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the sequencer signs with the devnet's public key {Address}: fine for a devnet, never for anything of value")]
    private partial void LogDevKey(string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "node started: data dir {DataDir}, chain id {ChainId}, sequencer {Sequencer}, at block {Block}; Ctrl-C stops it")]
    private partial void LogStarted(string dataDir, ulong chainId, string sequencer, ulong block);

    [LoggerMessage(Level = LogLevel.Information, Message = "node stopping")]
    private partial void LogStopping();
}

/// <summary>The running sequencer, for the services that answer calls; null until the node has started it.</summary>
public sealed class SequencerHolder : IAsyncDisposable
{
    private Sequencer.Sequencer? _sequencer;

    public Sequencer.Sequencer? Sequencer => Volatile.Read(ref _sequencer);

    internal void Set(Sequencer.Sequencer sequencer) => Volatile.Write(ref _sequencer, sequencer);

    public async ValueTask DisposeAsync()
    {
        var sequencer = Interlocked.Exchange(ref _sequencer, null);
        if (sequencer is not null)
        {
            await sequencer.DisposeAsync();
        }
    }
}
