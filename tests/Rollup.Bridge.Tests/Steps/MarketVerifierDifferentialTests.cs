using Rollup.Bridge.L1;
using Rollup.Bridge.Steps;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;
using static Rollup.Bridge.Tests.Steps.VerifierCalls;

namespace Rollup.Bridge.Tests.Steps;

/// <summary>
/// Two implementations, one truth, for market domains: steps of market traces, run by the C# market step function
/// while the engine executed the chain, and by the Solidity verifier and its provers on a real anvil, give the same
/// post state (its twenty words, record and pending work); and the verifier refuses a witness or state changed in
/// one place with the expected custom error.
/// </summary>
public sealed class MarketVerifierDifferentialTests(MarketVerifierDifferentialTests.Deployed deployed) : IClassFixture<MarketVerifierDifferentialTests.Deployed>
{
    [Fact]
    public async Task TracedSteps_SolidityVerifierOnAnvil_SamePostStateAsCSharp()
    {
        var steps = deployed.Steps;
        Assert.True(steps.Count >= 1000, $"{steps.Count} steps");
        await ForEachAsync(steps, async item =>
        {
            var (trace, step) = item;
            var post = await deployed.Verifier.StepAsync(step.Pre, trace.Context, step.Witness);
            Assert.True(
                post.AbiEncode().AsSpan().SequenceEqual(step.Post.AbiEncode()) && post.Record.AsSpan().SequenceEqual(step.Post.Record) && post.Pending.AsSpan().SequenceEqual(step.Post.Pending),
                $"market {step.Pre.Market}, step {step.Index} ({step.Kind}) from block {step.Pre.Block}: the verifier's post state differs");
        });

        foreach (var kind in Enum.GetValues<MarketStepKind>())
        {
            Assert.Contains(steps, s => s.Step.Kind == kind);
        }
        // Every liquidation stage ran: cancels, the sweep, fee and takeover, auto-deleveraging, the finish.
        var stages = steps.Where(s => s.Step.Kind == MarketStepKind.LiquidationContinue).Select(s => s.Step.Pre.Pending[21]).ToHashSet();
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, stages.Order().ToArray());
    }

    [Fact]
    public async Task Witness_OrderedRecordChanged_RevertsBadOrderedProof()
    {
        foreach (var (trace, step) in deployed.Sample(s => OrderedIndex(s, l => l.IsPresent && l.Record.Length > 0) >= 0))
        {
            var witness = step.Witness.ToList();
            var i = OrderedIndex(step, l => l.IsPresent && l.Record.Length > 0);
            var leaf = ((MarketWitnessLeaf.Ordered)witness[i]).Leaf;
            var record = (byte[])leaf.Record.Clone();
            record[^1] ^= 1;
            witness[i] = new MarketWitnessLeaf.Ordered(leaf with { Record = record });
            // A record its tree cannot hold may be refused as such before its proof is checked.
            await AssertRevertsAsync(["BadOrderedProof", "NotEdgeLeaf", "BadPositionLeaf", "BadBookLeaf"], step.Pre, trace.Context, witness);
        }
    }

    [Fact]
    public async Task Witness_OrderedSiblingFlipped_RevertsBadOrderedProof()
    {
        foreach (var (trace, step) in deployed.Sample(s => OrderedIndex(s, l => l.Proof.Steps.Count > 0) >= 0))
        {
            var witness = step.Witness.ToList();
            var i = OrderedIndex(step, l => l.Proof.Steps.Count > 0);
            var leaf = ((MarketWitnessLeaf.Ordered)witness[i]).Leaf;
            var steps = leaf.Proof.Steps.ToArray();
            steps[0] = steps[0] with { Sibling = steps[0].Sibling with { Hash = Flip(steps[0].Sibling.Hash) } };
            witness[i] = new MarketWitnessLeaf.Ordered(leaf with { Proof = leaf.Proof with { Steps = steps } });
            await AssertRevertsAsync(["BadOrderedProof", "NotEdgeLeaf"], step.Pre, trace.Context, witness);
        }
    }

    [Fact]
    public async Task Witness_InputRecordChanged_RevertsBadInputProof()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Witness.Any(l => l is MarketWitnessLeaf.Input { Leaf.IsPresent: true })))
        {
            var witness = step.Witness.ToList();
            var i = witness.FindIndex(l => l is MarketWitnessLeaf.Input { Leaf.IsPresent: true });
            var leaf = ((MarketWitnessLeaf.Input)witness[i]).Leaf;
            var record = (byte[])leaf.Record.Clone();
            record[0] ^= 1;
            witness[i] = new MarketWitnessLeaf.Input(leaf with { Record = record });
            await AssertRevertsAsync(["BadInputProof"], step.Pre, trace.Context, witness);
        }
    }

    [Fact]
    public async Task State_OrderedCountWordChanged_RevertsBadOrderedProof()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Kind == MarketStepKind.Mark && !s.Pre.Bids.IsEmpty))
        {
            var pre = step.Pre with { Bids = step.Pre.Bids with { Count = step.Pre.Bids.Count + 1 } };
            await AssertRevertsAsync(["BadOrderedProof", "NotEdgeLeaf"], pre, trace.Context, step.Witness);
        }
    }

    [Fact]
    public async Task State_RecordNotTheOneItsHashNames_RevertsRecordNotTheStates()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Pre.Record.Length > 0))
        {
            var record = (byte[])step.Pre.Record.Clone();
            record[1] ^= 1;
            var words = MarketStepAbi.State(step.Pre);
            var calldata = MarketStepVerifierClient.Artifact.EncodeCall("step", words, new object[] { record, step.Pre.Pending }, MarketStepAbi.Context(trace.Context), MarketStepAbi.Witness(step.Witness));
            await AssertCallRevertsAsync("RecordNotTheStates", calldata);
        }
    }

    [Fact]
    public async Task Witness_TruncatedOrPadded_RevertsWitnessTooShortOrTooLong()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Witness.Count > 0))
        {
            await AssertRevertsAsync(["WitnessTooShort"], step.Pre, trace.Context, step.Witness.Take(step.Witness.Count - 1).ToList());
            await AssertRevertsAsync(["WitnessTooLong"], step.Pre, trace.Context, [.. step.Witness, step.Witness[^1]]);
        }
    }

    [Fact]
    public async Task Continue_LiquidationPendingInTheInbox_RevertsLiquidationPendingInInbox()
    {
        foreach (var (trace, step) in deployed.Sample(s => s.Kind == MarketStepKind.LiquidationContinue))
        {
            await AssertRevertsAsync(["LiquidationPendingInInbox"], step.Pre with { Phase = MarketPhase.Inbox }, trace.Context, step.Witness);
        }
    }

    [Fact]
    public void Bulks_EveryHalfAndASweepHandingBack_AreInTheCheckedSteps()
    {
        // The main test checks every step; this one says the flow reached each part of a bulk's steps.
        var steps = deployed.Steps.Select(s => s.Step).ToList();
        Assert.Contains(steps, s => s.Kind == MarketStepKind.Message && IsBulkMessage(s) && s.Post.Pending.Length == 20);
        Assert.Contains(steps, s => s.Kind == MarketStepKind.Continue && s.Pre.Pending is [4, ..] && s.Pre.Pending[19] == 1);
        Assert.Contains(steps, s => s.Kind == MarketStepKind.Continue && s.Pre.Pending is [4, ..] && s.Pre.Pending[19] == 2);
        Assert.Contains(steps, s => s.Kind == MarketStepKind.Continue && s.Pre.Pending is [1, ..] && s.Pre.Pending.Length == 96 && s.Post.Pending is [4, ..]);
        Assert.Contains(steps, s => s.Outcome.Item is not null && s.Outcome.Status != Execution.Blocks.TxStatus.Accepted);
    }

    [Fact]
    public async Task Message_ABulkPastTheBlocksSlots_BothDecideTooManyOrdersInBlock()
    {
        // The routed record moved to slot 2^19 (an outbox rebuilt around it): the bulk is refused whole, in both.
        foreach (var (trace, step) in deployed.Sample(s => s.Kind == MarketStepKind.Message && IsBulkMessage(s)))
        {
            var message = ((MarketWitnessLeaf.Input)step.Witness[0]).Leaf;
            var record = (byte[])message.Record.Clone();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(12), (uint)Execution.Markets.Market.MaxOrderSlots);
            var key = StepKeys.OutboxMessage(step.Pre.Market, step.Pre.Block, step.Pre.NextMessage);
            var outbox = SparseMerkleTree.InMemory([new MerkleUpdate(key, Keccak256.Compute(record))]);
            var context = trace.Context with { AccountsOutboxRoot = outbox.Root };
            List<MarketWitnessLeaf> witness = [new MarketWitnessLeaf.Input(new StepLeaf(record, outbox.GetProof(key))), step.Witness[1]];

            var expected = MarketStepFunction.Verify(step.Pre, context, witness);
            var sequence = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(record);
            Assert.Equal(AccountsStepFunction.FoldReceipt(step.Pre.Receipts, sequence, Execution.Blocks.TxStatus.TooManyOrdersInBlock), expected.Receipts);
            Assert.Empty(expected.Pending);
            var post = await deployed.Verifier.StepAsync(step.Pre, context, witness);
            Assert.True(post.AbiEncode().AsSpan().SequenceEqual(expected.AbiEncode()) && post.Pending.Length == 0, "the verifier's post state differs");
        }
    }

    [Fact]
    public async Task Continue_ABulkCancelSentToPlace_RevertsBadPending()
    {
        // A pending cancel's half byte set to "place": the place prover finds the item does not place.
        foreach (var (trace, step) in deployed.Sample(s => s.Kind == MarketStepKind.Continue && s.Pre.Pending is [4, ..] && ItemOf(s).Action is Execution.Transactions.BulkAction.Cancel or Execution.Transactions.BulkAction.CancelByClientId))
        {
            var pending = (byte[])step.Pre.Pending.Clone();
            pending[19] = 2;
            Assert.Throws<StepProofException>(() => MarketStepFunction.Verify(step.Pre with { Pending = pending }, trace.Context, step.Witness));
            await AssertRevertsAsync(["BadPending"], step.Pre with { Pending = pending }, trace.Context, step.Witness);
        }
    }

    private static bool IsBulkMessage(MarketStep step) =>
        step.Witness.Count > 1 && step.Witness[1] is MarketWitnessLeaf.Input { Leaf.Record: [13, ..] };

    /// <summary>The item a pending bulk names, from the bulk its step reads first.</summary>
    private static Execution.Transactions.BulkItem ItemOf(MarketStep step)
    {
        var record = ((MarketWitnessLeaf.Input)step.Witness[0]).Leaf.Record;
        Assert.True(Execution.Transactions.TransactionCodec.TryDecode(record, out var tx, out _, out _));
        return tx.Items!.Span[step.Pre.Pending[18]];
    }

    private static int OrderedIndex(MarketStep step, Func<OrderedStepLeaf, bool> matches)
    {
        for (var i = 0; i < step.Witness.Count; i++)
        {
            if (step.Witness[i] is MarketWitnessLeaf.Ordered { Leaf: var leaf } && matches(leaf))
            {
                return i;
            }
        }
        return -1;
    }

    private async Task AssertRevertsAsync(string[] errors, MarketState pre, MarketStepContext context, IReadOnlyList<MarketWitnessLeaf> witness)
    {
        var reverted = await Assert.ThrowsAsync<L1CallRevertedException>(() => deployed.Verifier.StepAsync(pre, context, witness));
        AssertReason(reverted, errors);
    }

    private async Task AssertCallRevertsAsync(string error, byte[] calldata)
    {
        var reverted = await Assert.ThrowsAsync<L1CallRevertedException>(() => deployed.Verifier.CallAsync(calldata));
        AssertReason(reverted, [error]);
    }

    private static void AssertReason(L1CallRevertedException reverted, string[] errors)
    {
        var reason = reverted.DecodeReason(MarketStepVerifierClient.Errors);
        Assert.Equal(RevertKind.CustomError, reason.Kind);
        Assert.Contains(reason.Name, errors);
    }

    /// <summary>
    /// anvil with the verifier deployed, and market steps traced while the engine executed three seeded flows: a
    /// small one checked whole (every kind but liquidations, F = C = 2), one with mixed bulks checked whole (F = 1, so
    /// that bulk items' sweeps go on across steps), and the flow with price jumps that liquidate, whose liquidation
    /// steps are all checked and its other steps sampled with a fixed seed.
    /// </summary>
    public sealed class Deployed : IAsyncLifetime, IDisposable
    {
        private const int SampledOthers = 400;

        private AnvilProcess? _anvil;
        private L1Client? _l1;

        public MarketStepVerifierClient Verifier { get; private set; } = null!;

        public IReadOnlyList<(MarketTrace Trace, MarketStep Step)> Steps { get; private set; } = [];

        /// <summary>Up to 12 steps that match, spread over the run, for the revert tests.</summary>
        public IEnumerable<(MarketTrace Trace, MarketStep Step)> Sample(Func<MarketStep, bool> matches)
        {
            var all = Steps.Where(s => matches(s.Step)).ToList();
            Assert.NotEmpty(all);
            var stride = Math.Max(1, all.Count / 12);
            for (var i = 0; i < all.Count; i += stride)
            {
                yield return all[i];
            }
        }

        public async Task InitializeAsync()
        {
            var steps = new List<(MarketTrace, MarketStep)>();
            using (var small = new MarketStepChain(bookOpsPerStep: 2, cancelsPerStep: 2))
            {
                var generator = new ChainFlowGenerator(53, markets: 2, accounts: 30, signingDomain: StepChain.Domain);
                for (var b = 0; b < 3; b++)
                {
                    var (_, markets) = small.Run([generator.Next(100), generator.Next(100)]);
                    steps.AddRange(markets.Values.SelectMany(t => t.Steps.Select(s => (t, s))));
                }
            }
            using (var bulks = new MarketStepChain(bookOpsPerStep: 1, cancelsPerStep: 2))
            {
                var generator = new ChainFlowGenerator(56, markets: 2, accounts: 30, signingDomain: StepChain.Domain) { MixedBulks = true };
                for (var b = 0; b < 2; b++)
                {
                    var (_, markets) = bulks.Run([generator.Next(120), generator.Next(120), generator.Next(120)]);
                    steps.AddRange(markets.Values.SelectMany(t => t.Steps.Select(s => (t, s))));
                }
            }
            using (var liquidating = new MarketStepChain())
            {
                var generator = new ChainFlowGenerator(11, markets: 6, accounts: 120, signingDomain: StepChain.Domain);
                var others = new List<(MarketTrace, MarketStep)>();
                for (var b = 0; b < 10; b++)
                {
                    var (_, markets) = liquidating.Run([generator.Next(300), generator.Next(300), generator.Next(300), generator.Next(300)]);
                    foreach (var trace in markets.Values)
                    {
                        foreach (var step in trace.Steps)
                        {
                            (step.Kind is MarketStepKind.LiquidationStart or MarketStepKind.LiquidationContinue ? steps : others).Add((trace, step));
                        }
                    }
                }
                var random = new Random(20_261_202);
                steps.AddRange(others.OrderBy(_ => random.Next()).Take(SampledOthers));
            }
            Steps = steps;

            _anvil = await AnvilProcess.StartAsync();
            _l1 = new L1Client(_anvil.Endpoint);
            var deployer = new TransactionSender(_l1, AnvilProcess.DevKey(0), AnvilProcess.DefaultChainId);
            Verifier = await MarketStepVerifierClient.DeployAsync(_l1, deployer, CancellationToken.None);
        }

        public Task DisposeAsync()
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            _l1?.Dispose();
            _anvil?.Dispose();
        }
    }
}
