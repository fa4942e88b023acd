using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Execution.Transactions;
using Rollup.Node.Bridge;
using Rollup.Sequencer.Log;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// The sequencer's log retention on a real anvil: nothing is dropped from the transaction log while no batch is final;
/// once batches pass their challenge window, the blocks of the last final batch and before leave the log, the rest
/// stays, and the state is untouched.
/// </summary>
public class LogRetentionTests
{
    [Fact]
    public async Task Only_blocks_of_final_batches_leave_the_log()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig { ChallengeWindowBlocks = 3, TimelockDelayBlocks = 1 });
        var sequencer = devnet.StartSequencer();
        await devnet.FundAndDepositAsync(L1Devnet.Alice, minted: 1_000_000_000, deposited: 500_000_000);
        var watcher = new DepositWatcher(devnet.SequencerClient(), new SequencerDepositSink(sequencer), new DepositWatcherOptions { Confirmations = 1 }, NullLogger.Instance);
        await devnet.Dev.MineAsync(1);
        Assert.Equal(1, await watcher.PollAsync(default));
        var l1 = devnet.SequencerClient();
        var poster = new BatchPoster(l1, new ChainBlockSource(sequencer), new BatchPosterOptions(), NullLogger.Instance);
        var retention = new LogRetention(l1, sequencer, TimeSpan.FromHours(1), NullLogger.Instance);

        // A first batch, then more transactions after it, in a second one.
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = 1 }, L1Devnet.Alice);
        var first = await PostAllAsync(poster, sequencer);
        Assert.Equal(0UL, await retention.PruneOnceAsync(default)); // committed, not final
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = 2 }, L1Devnet.Alice);
        await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = 3 }, L1Devnet.Alice);
        var second = await PostAllAsync(poster, sequencer);
        Assert.True(second.LastBlock > first.LastBlock);

        // The first batch's window ends before the second's: only its blocks go.
        var firstFinal = (await l1.GetBatchAsync(first.BatchIndex, default)).FinalAt;
        var head = await l1.GetHeadNumberAsync(default);
        await devnet.Dev.MineAsync(firstFinal - head);
        var secondFinal = (await l1.GetBatchAsync(second.BatchIndex, default)).FinalAt;
        Assert.True(secondFinal > firstFinal, $"the batches are final at L1 blocks {firstFinal} and {secondFinal}");
        var root = sequencer.Read(engine => engine.Head.StateRoot);
        Assert.Equal(first.LastBlock, await retention.PruneOnceAsync(default));
        Assert.Equal(root, sequencer.Read(engine => engine.Head.StateRoot));
        Assert.Equal(first.LastBlock, retention.PrunedThrough);

        await devnet.Dev.MineAsync(secondFinal - firstFinal);
        Assert.Equal(second.LastBlock, await retention.PruneOnceAsync(default));
        Assert.True(retention.Dropped >= 4, $"{retention.Dropped} transactions dropped"); // the deposit, the three withdrawals, and any block before
        await sequencer.DisposeAsync();
        using var log = TxLog.Open(Path.Combine(devnet.Directory.Path, "sequencer", "txlog"));
        Assert.Null(log.GetBlock(second.LastBlock - 1));
        Assert.NotNull(log.GetBlock(second.LastBlock));
        Assert.Equal(log.FirstSequence(), log.NextSequence);
    }

    /// <summary>Posts until L1 has every block the sequencer executed; returns the last batch.</summary>
    private static async Task<BatchCommitment> PostAllAsync(BatchPoster poster, Sequencer.Sequencer sequencer)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var acked = sequencer.AcknowledgedTransactions;
        while (sequencer.Read(engine => engine.NextSequence) < acked)
        {
            Assert.True(DateTime.UtcNow < deadline, "the acked transactions were not executed within 30 s");
            await Task.Delay(10);
        }
        var head = sequencer.Read(engine => engine.Head.BlockNumber);
        BatchCommitment? last = null;
        while (last is null || last.LastBlock < head)
        {
            last = await poster.PostNextAsync(default) ?? last;
        }
        return last;
    }
}
