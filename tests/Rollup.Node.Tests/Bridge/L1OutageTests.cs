using Rollup.Execution.Chain;
using Rollup.Execution.Steps;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Deposits;
using Rollup.Bridge.L1;
using Rollup.Bridge.Posting;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Node.Bridge;
using Rollup.Primitives.Compression;
using Rollup.Sequencer;
using Rollup.Testing;

namespace Rollup.Node.Tests.Bridge;

/// <summary>anvil stopped in the middle of posting a batch and started again from its state file.</summary>
public class L1OutageTests
{
    [Fact]
    public async Task The_poster_and_the_watcher_go_on_after_an_L1_outage_mid_batch_with_nothing_lost_or_posted_twice()
    {
        using var stateDirectory = new TempDirectory("rollup-anvil-state");
        var stateFile = Path.Combine(stateDirectory.Path, "anvil.json");
        await using var devnet = await L1Devnet.StartAsync(new SettlementConfig(), stateFile);
        var sequencer = devnet.StartSequencer();
        var blocks = sequencer.Subscribe(capacity: 100_000);
        await devnet.FundAndDepositAsync(L1Devnet.Alice, 1_000_000_000, 400_000_000);
        var watcher = new DepositWatcher(devnet.SequencerClient(), new SequencerDepositSink(sequencer), new DepositWatcherOptions { Confirmations = 0 }, NullLogger.Instance);
        Assert.Equal(1, await watcher.PollAsync(default));
        for (var i = 0; i < 40; i++)
        {
            await devnet.SubmitAsync(new Transaction { Kind = TxKind.Withdraw, Amount = 1_000_000 }, L1Devnet.Alice);
        }
        while (sequencer.Read(engine => engine.Head.TotalWithdrawals) < 40_000_000)
        {
            await blocks.ReadAsync();
        }

        // L1 goes down after two parts of the first batch (tiny parts: the batch needs many).
        var l1 = new OutageAfterParts(devnet.SequencerClient(), parts: 2, devnet);
        var options = new BatchPosterOptions { Codec = CompressionCodecId.None, MaxPartBytes = 512, IntentFile = Path.Combine(devnet.Directory.Path, "poster-intent.json") };
        var poster = new BatchPoster(l1, new ChainBlockSource(sequencer), options, NullLogger.Instance);
        await Assert.ThrowsAnyAsync<L1Exception>(() => poster.PostNextAsync(default));
        await Assert.ThrowsAnyAsync<L1Exception>(() => watcher.PollAsync(default));

        // Back up from its state: a new poster (as after a restart) finishes the batch from part 2, and more.
        await devnet.StartAnvilAgainAsync(stateFile);
        var status = await l1.Inner.GetStatusAsync(default);
        Assert.Equal(2u, status.PendingParts);
        var restarted = new BatchPoster(l1.Inner, new ChainBlockSource(sequencer), options, NullLogger.Instance);
        var first = await restarted.PostNextAsync(default);
        Assert.Equal(0UL, first!.BatchIndex);
        var onL1 = await devnet.SequencerClient().GetCommittedBatchAsync(0, default);
        Assert.Equal(2 + restarted.PartsPosted, onL1!.Parts.Count); // the two from before the outage were kept, none posted twice
        var second = await restarted.PostNextAsync(default);
        if (second is not null)
        {
            Assert.Equal(first.LastBlock + 1, second.FirstBlock);
        }

        // The watcher resumes and a new deposit after the outage is credited once.
        await devnet.FundAndDepositAsync(L1Devnet.Bob, 1_000_000_000, 100_000_000);
        Assert.Equal(1, await watcher.PollAsync(default));
        Assert.Equal(0, await watcher.PollAsync(default));
        Assert.Equal(2UL, sequencer.NextDepositIndex);

        // Everything on L1 checks out against a validator reading only L1.
        using var validatorDirectory = new TempDirectory("rollup-validator");
        using var chain = new ExecutedChain(ExecutionEngine.Open(validatorDirectory.Path, devnet.EngineOptions(verifySignatures: true)));
        var validator = new Validator(devnet.SequencerClient(), new ChainExecutor(chain), new ValidatorOptions(), NullLogger.Instance);
        var reports = 0;
        while (await validator.ValidateNextAsync(default) is { } report)
        {
            Assert.True(report.Agrees, string.Join("; ", report.Mismatches));
            reports++;
        }
        Assert.Equal(second is null ? 1 : 2, reports);
    }

    /// <summary>Passes calls to the real contract and stops anvil once <c>parts</c> parts went through.</summary>
    private sealed class OutageAfterParts(SettlementClient inner, int parts, L1Devnet devnet) : IBatchSink
    {
        private int _left = parts;

        public SettlementClient Inner => inner;

        public Task<SettlementStatus> GetStatusAsync(CancellationToken cancellation) => inner.GetStatusAsync(cancellation);

        public async Task PostPartAsync(ulong batchIndex, uint part, ReadOnlyMemory<byte> data, CancellationToken cancellation)
        {
            if (_left-- == 0)
            {
                await devnet.StopAnvilAsync();
            }
            await inner.PostPartAsync(batchIndex, part, data, cancellation);
        }

        public Task DiscardPendingAsync(CancellationToken cancellation) => inner.DiscardPendingAsync(cancellation);

        public Task CommitAsync(BatchCommitment commitment, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims, CancellationToken cancellation) =>
            inner.CommitAsync(commitment, claims, cancellation);
    }
}
