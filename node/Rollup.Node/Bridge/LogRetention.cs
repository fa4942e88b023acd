using Microsoft.Extensions.Logging;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;

namespace Rollup.Node.Bridge;

/// <summary>
/// The sequencer's log retention rule (docs/sequencer.md, "Retention"): every interval, the last L2 block of the last
/// batch final on L1 is read from the settlement contract, and the transaction log drops every block through it (the
/// state, flushed to disk first, and the block store hold them; recovery needs only the log after the state's head).
/// An L1 that does not answer is logged and tried again at the next interval: nothing is dropped on a guess.
/// </summary>
public sealed partial class LogRetention(SettlementClient settlement, Sequencer.Sequencer sequencer, TimeSpan interval, ILogger logger)
{
    private ulong _prunedThrough;

    /// <summary>The block the log was last pruned through (0 before the first pruning).</summary>
    public ulong PrunedThrough => Interlocked.Read(ref _prunedThrough);

    /// <summary>Transactions dropped from the log since the node started.</summary>
    public ulong Dropped { get; private set; }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            await PruneOnceAsync(stopping).ConfigureAwait(false);
        }
    }

    /// <summary>One pruning round; returns the block the log is pruned through after it.</summary>
    public async Task<ulong> PruneOnceAsync(CancellationToken cancellation)
    {
        ulong finalBlock;
        try
        {
            var final = await settlement.GetFinalBatchCountAsync(cancellation).ConfigureAwait(false);
            if (final == 0)
            {
                return PrunedThrough;
            }
            finalBlock = (await settlement.GetBatchAsync(final - 1, cancellation).ConfigureAwait(false)).LastBlock;
        }
        catch (L1Exception error)
        {
            LogL1Failed(logger, error.Message);
            return PrunedThrough;
        }
        if (finalBlock <= PrunedThrough)
        {
            return PrunedThrough;
        }
        var (through, dropped) = sequencer.PruneLog(finalBlock);
        if (through > PrunedThrough)
        {
            Interlocked.Exchange(ref _prunedThrough, through);
            Dropped += dropped;
            LogPruned(logger, through, dropped);
        }
        return through;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "transaction log: blocks through {Block} are final on L1 and dropped from the log ({Transactions} transactions); the state and the block store keep them")]
    private static partial void LogPruned(ILogger logger, ulong block, ulong transactions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "transaction log: L1 did not say which batches are final ({Reason}); the log is pruned at the next interval")]
    private static partial void LogL1Failed(ILogger logger, string reason);
}
