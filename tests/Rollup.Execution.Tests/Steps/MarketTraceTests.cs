using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Steps;

/// <summary>
/// Market domains' traces against the engine, which executes the same blocks with its own market code (Market,
/// the order book, the risk order): after every batch each market's provable state must be the engine's market as
/// it stands, every receipt a market step decides the engine's, every routed transaction decided exactly once, and
/// its margin replies the engine's releases. Then every step must check alone, from its witness.
/// </summary>
public sealed class MarketTraceTests
{
    [Theory]
    [InlineData(51, 4, false)]
    [InlineData(52, 1, false)]
    [InlineData(54, 1, true)]
    [InlineData(55, 4, true)]
    public void Trace_SeededFlowInBatches_EndStateIsTheEngines(int seed, int bookOpsPerStep, bool mixedBulks)
    {
        using var chain = new MarketStepChain(bookOpsPerStep, cancelsPerStep: 3);
        var generator = new ChainFlowGenerator(seed, markets: 3, accounts: 40, signingDomain: StepChain.Domain) { MixedBulks = mixedBulks };
        var decided = 0;
        for (var b = 0; b < 4; b++)
        {
            var (batch, markets) = chain.Run([generator.Next(120), generator.Next(120), generator.Next(120)]);
            decided += AssertMatchesEngine(chain.Engine, batch, markets);
        }
        Assert.True(decided > 500, $"only {decided} market receipts decided");
    }

    [Fact]
    public void Trace_MixedBulks_EveryActionAndOutcomeAsTheEngineRunsIt()
    {
        // One book op a step, so that bulk items' sweeps go on across steps and hand back to the bulk.
        using var chain = new MarketStepChain(bookOpsPerStep: 1, cancelsPerStep: 2);
        var generator = new ChainFlowGenerator(56, markets: 2, accounts: 30, signingDomain: StepChain.Domain) { MixedBulks = true };
        var outcomes = new HashSet<(BulkAction, TxStatus)>();
        var sweptItems = 0;
        for (var b = 0; b < 4; b++)
        {
            var (batch, markets) = chain.Run([generator.Next(150), generator.Next(150), generator.Next(150)]);
            AssertMatchesEngine(chain.Engine, batch, markets);
            foreach (var trace in markets.Values)
            {
                foreach (var step in trace.Steps)
                {
                    if (step.Outcome is { Item: { } item, Status: { } status })
                    {
                        outcomes.Add((batch.TransactionAt(step.Outcome.Sequence).Items!.Span[item].Action, status));
                        sweptItems += step.Pre.Pending.Length > 0 && step.Pre.Pending[0] == (byte)PendingKind.Sweep ? 1 : 0;
                    }
                    Assert.Equal(step.Post.Hash(), MarketStepFunction.Verify(step.Pre, trace.Context, step.Witness).Hash());
                }
            }
        }
        foreach (var action in Enum.GetValues<BulkAction>())
        {
            Assert.Contains((action, TxStatus.Accepted), outcomes);
            Assert.Contains(outcomes, o => o.Item1 == action && o.Item2 != TxStatus.Accepted);
        }
        Assert.True(sweptItems > 0, "no bulk item's sweep went on across steps");
    }

    [Fact]
    public void Trace_FlowWithJumpsThatLiquidate_EveryStageAsTheEngineRunsIt()
    {
        using var chain = new MarketStepChain();
        var generator = new ChainFlowGenerator(11, markets: 6, accounts: 120, signingDomain: StepChain.Domain);
        var stages = new HashSet<byte>();
        var starts = 0;
        for (var b = 0; b < 10; b++)
        {
            var (batch, markets) = chain.Run([generator.Next(300), generator.Next(300), generator.Next(300), generator.Next(300)]);
            AssertMatchesEngine(chain.Engine, batch, markets);
            foreach (var trace in markets.Values)
            {
                foreach (var step in trace.Steps.Where(s => s.Kind is MarketStepKind.LiquidationStart or MarketStepKind.LiquidationContinue))
                {
                    Assert.Equal(step.Post.Hash(), MarketStepFunction.Verify(step.Pre, trace.Context, step.Witness).Hash());
                    starts += step.Kind == MarketStepKind.LiquidationStart ? 1 : 0;
                    if (step.Kind == MarketStepKind.LiquidationContinue)
                    {
                        stages.Add(step.Pre.Pending[21]);
                    }
                }
            }
        }
        Assert.True(starts >= 5, $"only {starts} liquidations");
        // Every stage ran: cancels, the sweep, fee and takeover, auto-deleveraging, the finish.
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, stages.Order().ToArray());
    }

    [Fact]
    public void Witness_EveryStepOfTheFlow_ChecksAloneToTheSamePostState()
    {
        using var chain = new MarketStepChain(bookOpsPerStep: 2, cancelsPerStep: 2);
        var generator = new ChainFlowGenerator(53, markets: 2, accounts: 30, signingDomain: StepChain.Domain);
        var kinds = new HashSet<MarketStepKind>();
        var checkedSteps = 0;
        for (var b = 0; b < 3; b++)
        {
            var (_, markets) = chain.Run([generator.Next(100), generator.Next(100)]);
            foreach (var trace in markets.Values)
            {
                foreach (var step in trace.Steps)
                {
                    Assert.Equal(step.Post.Hash(), MarketStepFunction.Verify(step.Pre, trace.Context, step.Witness).Hash());
                    kinds.Add(step.Kind);
                    checkedSteps++;
                }
                Assert.Equal(trace.End, trace.Steps[^1].Post);
            }
        }
        Assert.True(checkedSteps > 300, $"only {checkedSteps} steps");
        foreach (var kind in new[] { MarketStepKind.BlockStart, MarketStepKind.Message, MarketStepKind.Continue, MarketStepKind.InboxEnd, MarketStepKind.Mark, MarketStepKind.NoneLeft, MarketStepKind.MarkAgain })
        {
            Assert.Contains(kind, kinds);
        }
    }

    /// <summary>The engine's results against the market traces; returns how many receipts the markets decided.</summary>
    private static int AssertMatchesEngine(ExecutionEngine engine, TracedBatch batch, IReadOnlyDictionary<uint, MarketTrace> markets)
    {
        var decided = new Dictionary<(ulong Sequence, int? Item), TxStatus>();
        foreach (var market in engine.Markets)
        {
            var trace = markets[market.Id];
            Assert.Equal(MarketDomainTrees.Of(market).Roots, trace.End.Roots);
            Assert.Equal(batch.Blocks[^1].Number, trace.End.Block);
            foreach (var step in trace.Steps)
            {
                if (step.Outcome.Status is { } status)
                {
                    var (sequence, item) = (step.Outcome.Sequence, step.Outcome.Item);
                    Assert.True(decided.TryAdd((sequence, item), status), $"sequence {sequence}, item {item} decided twice");
                    var receipt = batch.ReceiptAt(sequence);
                    var engines = item is { } i ? receipt.Items!.Span[i].Status : receipt.Status;
                    Assert.True(status == engines, $"market {market.Id}, sequence {sequence} ({batch.TransactionAt(sequence).Kind}), item {item}: the trace decided {status}, the engine {engines}");
                }
            }
            var replies = new StepRecordTree();
            for (var b = 0; b < batch.Blocks.Count; b++)
            {
                foreach (var (id, key, record) in MarketReplies.Of(batch.Blocks[b], batch.Results[b].Receipts))
                {
                    if (id == market.Id)
                    {
                        replies.Put(key, record);
                    }
                }
            }
            Assert.Equal(replies.Root, trace.End.Outbox);
        }
        // Every transaction the accounts domain routed to a market, apart from the market's creation, has its receipt from it.
        foreach (var step in batch.Trace.Steps)
        {
            if (step.Outcome.RoutedTo is null)
            {
                continue;
            }
            var tx = batch.TransactionAt(step.Outcome.Sequence);
            if (tx.Kind == TxKind.CreateMarket)
            {
                continue;
            }
            if (tx.Kind == TxKind.Bulk && batch.ReceiptAt(step.Outcome.Sequence).Items is { } items)
            {
                // An accepted bulk: every item decided, once, and nothing for the bulk as a whole.
                for (var i = 0; i < items.Count; i++)
                {
                    Assert.True(decided.ContainsKey((step.Outcome.Sequence, i)), $"sequence {step.Outcome.Sequence}: bulk item {i} never decided");
                }
                Assert.False(decided.ContainsKey((step.Outcome.Sequence, null)), $"sequence {step.Outcome.Sequence}: an accepted bulk decided whole");
            }
            else
            {
                Assert.True(decided.ContainsKey((step.Outcome.Sequence, null)), $"sequence {step.Outcome.Sequence} was routed and never decided");
            }
        }
        return decided.Count;
    }
}
