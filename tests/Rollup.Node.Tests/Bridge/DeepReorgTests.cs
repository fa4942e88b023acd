using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Node.Bridge;
using Rollup.Sequencer;
using Rollup.Testing;

namespace Rollup.Node.Tests.Bridge;

/// <summary>
/// anvil_reorg of 10 L1 blocks, deeper than the validator's 2 confirmations: batch commitments the validator agreed with
/// are gone from L1. The poster posts the L2 blocks again from where L1 now stands, and the validator goes back to the
/// fork and checks the batches as L1 now has them, without a false disagreement.
/// </summary>
public class DeepReorgTests(Xunit.Abstractions.ITestOutputHelper output)
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

    /// <summary>
    /// As above, but the validator restarts between agreeing and the reorg (a new instance on its progress file and its
    /// engine): it remembers no commitments, and finds where it stands from its own blocks' roots against L1's batches.
    /// </summary>
    [Fact]
    public async Task A_validator_restarted_before_a_reorg_that_drops_agreed_batches_re_derives_without_a_disagreement()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig());
        var sequencer = devnet.StartSequencer();
        var l1 = devnet.SequencerClient();
        var poster = new BatchPoster(l1, new ChainBlockSource(sequencer), new BatchPosterOptions { Codec = Primitives.Compression.CompressionCodecId.Lz4 }, NullLogger.Instance);
        using var validatorDirectory = new TempDirectory("rollup-reorg-validator-restart");
        using var validatorChain = new ExecutedChain(ExecutionEngine.Open(System.IO.Path.Combine(validatorDirectory.Path, "state"), devnet.EngineOptions(verifySignatures: true)));
        var options = new ValidatorOptions { ProgressFile = System.IO.Path.Combine(validatorDirectory.Path, "validator-progress") };
        var before = new Validator(devnet.SequencerClient(confirmations: 2), new ChainExecutor(validatorChain), options, NullLogger.Instance);

        await PostABatchAsync(poster);
        await devnet.Dev.MineAsync(10);
        for (var i = 0; i < 3; i++)
        {
            await PostABatchAsync(poster);
        }
        await devnet.Dev.MineAsync(2);
        Assert.Equal(4, await before.CatchUpAsync(default));

        var restarted = new Validator(devnet.SequencerClient(confirmations: 2), new ChainExecutor(validatorChain), options, NullLogger.Instance);
        Assert.Equal(4UL, restarted.NextBatchIndex);
        await devnet.Dev.ReorgAsync(10);
        Assert.Equal(1UL, await l1.GetCommittedBatchCountAsync(default));
        var reposted = new List<BatchCommitment>();
        while (reposted.Count < 5)
        {
            reposted.Add(await PostABatchAsync(poster));
        }
        await devnet.Dev.MineAsync(2);
        await restarted.CatchUpAsync(default);

        Assert.True(restarted.Fault is null, restarted.Fault is { } fault ? string.Join("; ", fault.Mismatches) : "");
        Assert.Equal(6UL, restarted.NextBatchIndex);
        Assert.Equal(1, restarted.Reorgs);
        Assert.Equal(reposted[^1].NewStateRoot, validatorChain.Read(engine => engine.GetBlock(reposted[^1].LastBlock)!.StateRoot));
    }

    /// <summary>
    /// The same as processes: a sequencer node under load (deposits at depth 1, batches every 300 ms) and a validator node at
    /// depth 2, on an anvil mining every half second; once the deposits are deeper than 10 blocks, anvil_reorg of 10 takes away
    /// the latest commitments. The sequencer posts them again, the validator goes back and agrees again, no loop fails, and the
    /// chain on L1 is the node's: every ack in it, every deposit credited once, a fresh validator agreeing with every batch.
    /// </summary>
    [Fact]
    public async Task Under_running_nodes_a_ten_block_reorg_is_posted_again_and_the_validator_stays_in_agreement()
    {
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig(), blockTimeSeconds: 0.5);
        await BridgeLoad.MintAsync(devnet);
        var load = new BridgeLoad(devnet);
        using var data = new TempDirectory("rollup-deep-reorg-nodes");
        using var sequencer = await NodeProcess.StartAsync(System.IO.Path.Combine(data.Path, "sequencer"), BridgeLoad.NodeSettings(devnet, devnet.Anvil.Endpoint));
        var validatorSettings = BridgeLoad.NodeSettings(devnet, devnet.Anvil.Endpoint);
        validatorSettings["ROLLUP__NODE__VALIDATORCONFIRMATIONS"] = "2";
        using var validator = await NodeProcess.StartAsync(System.IO.Path.Combine(data.Path, "validator"), validatorSettings, command: "validator");
        using var http = new HttpClient();
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(sequencer.Address);
        using var stop = new CancellationTokenSource();
        var senders = load.StartSenders(channel, stop.Token);

        for (var round = 0; round < 4; round++)
        {
            await load.DepositAsync(round);
        }
        var lastDeposit = await devnet.Rpc.GetBlockNumberAsync();
        var l1 = devnet.SequencerClient();
        var committedBefore = 0UL;
        await NodeWait.UntilAsync(async () =>
        {
            committedBefore = await l1.GetCommittedBatchCountAsync(default);
            return await devnet.Rpc.GetBlockNumberAsync() > lastDeposit + 12
                && await NodeMetrics.ReadAsync(http, validator.MetricsPort, "rollup_validator_next_batch") >= committedBefore - 1;
        }, "L1 12 blocks past the deposits and the validator one batch behind L1", validator);

        await devnet.Dev.ReorgAsync(10);
        var reorged = Stopwatch.GetTimestamp();
        var committedAfterReorg = await l1.GetCommittedBatchCountAsync(default);
        Assert.True(committedAfterReorg < committedBefore, $"the reorg took no batch: {committedAfterReorg} of {committedBefore}");

        await NodeWait.UntilAsync(async () => await NodeMetrics.ReadAsync(http, validator.MetricsPort, "rollup_validator_reorgs_total") >= 1, "the validator followed the reorg", validator);
        var validatorFollowed = Stopwatch.GetElapsedTime(reorged);
        await NodeWait.UntilAsync(async () => await l1.GetCommittedBatchCountAsync(default) > committedBefore, "the sequencer posted past the old count", sequencer);
        output.WriteLine($"the reorg took batches {committedAfterReorg}..{committedBefore - 1}; the validator went back after {validatorFollowed.TotalSeconds:F1} s; L1 passed the old count after {Stopwatch.GetElapsedTime(reorged).TotalSeconds:F1} s");
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        await load.CheckTheChainAsync(sequencer, devnet.Anvil.Endpoint);

        var total = await l1.GetCommittedBatchCountAsync(default);
        await NodeWait.UntilAsync(async () => await NodeMetrics.ReadAsync(http, validator.MetricsPort, "rollup_validator_next_batch") >= total, $"the validator agreed up to batch {total}", validator);
        Assert.Equal(0, await NodeMetrics.ReadAsync(http, validator.MetricsPort, "rollup_validator_fault"));
        Assert.Equal(0, await NodeMetrics.ReadAsync(http, validator.MetricsPort, "rollup_validator_undecided_batches_total"));
        Assert.Equal(0, await sequencer.StopAsync());
        Assert.Equal(0, await validator.StopAsync());
        foreach (var node in new[] { sequencer, validator })
        {
            Assert.DoesNotContain("crit:", node.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("DISAGREES", node.Output, StringComparison.Ordinal);
        }
        Assert.Contains("L1 reorg: batch", validator.Output, StringComparison.Ordinal);
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
