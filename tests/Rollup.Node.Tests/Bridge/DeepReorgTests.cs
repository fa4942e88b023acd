using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Node.Bridge;
using Rollup.Sequencer;
using Rollup.Testing;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// anvil_reorg of 10 L1 blocks, deeper than the validator's 2 confirmations: batch commitments the validator agreed with
/// are gone from L1. The poster posts the L2 blocks again from where L1 now stands, and the validator goes back to the
/// fork and checks the batches as L1 now has them, without a false disagreement.
/// </summary>
public class DeepReorgTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_reorg_that_drops_agreed_batches_is_posted_again_and_re_derived_without_a_disagreement()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig());
        var sequencer = devnet.StartSequencer();
        var l1 = devnet.SequencerClient();
        var poster = new BatchPoster(l1, new ChainBlockSource(sequencer), new BatchPosterOptions { Codec = Primitives.Compression.CompressionCodecId.Lz4 }, NullLogger.Instance);
        using var logs = new CapturedLogs(LogLevel.Information);
        using var validatorDirectory = new TempDirectory("rollup-reorg-validator");
        using var validatorChain = new ExecutedChain(ExecutionEngine.Open(validatorDirectory.Path, devnet.EngineOptions(verifySignatures: true)));
        var validator = new Validator(devnet.SequencerClient(confirmations: 2), new ChainExecutor(validatorChain), new ValidatorOptions(), logs.CreateLogger("validator"));

        // Batch 0 buried under more than the reorg's depth, then three batches (two L1 blocks each: data, commitment) inside it.
        await PostABatchAsync(poster);
        await devnet.Dev.MineAsync(10);
        var dropped = new List<BatchCommitment>();
        for (var i = 0; i < 3; i++)
        {
            dropped.Add(await PostABatchAsync(poster));
        }
        await devnet.Dev.MineAsync(2);
        Assert.Equal(4, await validator.CatchUpAsync(default));
        Assert.Equal(4UL, validator.NextBatchIndex);

        await devnet.Dev.ReorgAsync(10);
        Assert.Equal(1UL, await l1.GetCommittedBatchCountAsync(default));

        // The poster starts again at batch 1, from the first block the reorg took off L1, and goes on past the old count.
        var reposted = new List<BatchCommitment>();
        while (reposted.Count < 5)
        {
            reposted.Add(await PostABatchAsync(poster));
        }
        Assert.Equal(1UL, reposted[0].BatchIndex);
        Assert.Equal(dropped[0].FirstBlock, reposted[0].FirstBlock);
        Assert.Equal(6UL, await l1.GetCommittedBatchCountAsync(default));

        await devnet.Dev.MineAsync(2);
        await validator.CatchUpAsync(default);
        Assert.True(validator.Fault is null, validator.Fault is { } fault ? string.Join("; ", fault.Mismatches) : "");
        Assert.Equal(6UL, validator.NextBatchIndex);
        Assert.Equal(1, validator.Reorgs);
        var last = reposted[^1];
        Assert.Equal(sequencer.Read(engine => engine.GetBlock(last.LastBlock)!.StateRoot), validatorChain.Read(engine => engine.GetBlock(last.LastBlock)!.StateRoot));
        Assert.Equal(last.NewStateRoot, validatorChain.Read(engine => engine.GetBlock(last.LastBlock)!.StateRoot));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("batch 1", StringComparison.Ordinal) && e.Message.Contains("reorg", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Posts the next batch once the sequencer has cut a block L1 lacks (an empty block is cut every second).</summary>
    private static async Task<BatchCommitment> PostABatchAsync(BatchPoster poster)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (await poster.PostNextAsync(default) is { } committed)
            {
                return committed;
            }
            Assert.True(Stopwatch.GetElapsedTime(started) < Deadline, "no block to post within the deadline");
            await Task.Delay(100);
        }
    }
}
