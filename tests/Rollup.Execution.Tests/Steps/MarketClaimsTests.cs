using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Steps;

/// <summary>
/// Market claims as a poster or a validator makes them (the routed transactions read off the receipts, each market
/// traced from <see cref="ProvableMarkets"/>' trees at the batch's start) against the full traces the step chain builds
/// from the accounts trace: the same start, end and step count for every market, through a restart of the provable
/// engine, and every market of the chain claimed; and the accounts domain's state it gives at a batch's start traces
/// the batch as the chain's own accounts trace does.
/// </summary>
public sealed class MarketClaimsTests
{
    [Fact]
    public void Claims_FromTheProvableEngine_AreTheFullTracesThroughARestart()
    {
        using var chain = new MarketStepChain();
        using var provableDir = new TempDirectory("rollup-provable");
        var provable = new ProvableMarkets(provableDir.Path, StepChain.Options, chain.Engine.GetBlock);
        var generator = new ChainFlowGenerator(61, markets: 4, accounts: 60, signingDomain: StepChain.Domain) { MixedBulks = true };
        var claimed = 0;
        (ulong First, TracedBatch Batch, IReadOnlyDictionary<uint, MarketTrace> Traces)? second = null;
        try
        {
            for (var b = 0; b < 5; b++)
            {
                var (batch, traces) = chain.Run([generator.Next(150), generator.Next(150), generator.Next(150)]);
                if (b == 3)
                {
                    // A restart: the provable engine comes back at the last block it replayed and carries on from there.
                    var head = provable.HeadBlock;
                    provable.Dispose();
                    provable = new ProvableMarkets(provableDir.Path, StepChain.Options, chain.Engine.GetBlock);
                    Assert.Equal(head, provable.HeadBlock);
                }
                var first = batch.Blocks[0].Number;
                var receipts = batch.Results.Select(r => (IReadOnlyList<Receipt>)r.Receipts).ToList();
                var inputs = MarketBatchInputs.FromReceipts(batch.Trace.Start.FirstSequence, batch.Blocks, receipts);
                Assert.Equal(batch.Trace.End.OutboxRoot, inputs.RoutedRoot);

                var end = StepChain.DomainState(chain.Engine);
                var claims = MarketClaims.Compute(provable.After(first - 1), batch.Start.Markets, end.Markets, inputs);

                Assert.Equal(traces.Keys.Order(), claims.Select(c => c.Domain.Market).Order());
                // The accounts domain as the provable engine holds it there traces the batch as the chain's own trace did.
                var accounts = new AccountsTraceBuilder(provable.StartOf(first - 1).Accounts, chain.Engine.Domain, chain.Engine.Options.Operators)
                    .Trace(batch.Trace.Start.FirstSequence, batch.Blocks, receipts);
                if (b == 1)
                {
                    second = (first, batch, traces);
                }
                Assert.Equal((batch.Trace.Start.Hash(), batch.Trace.End.Hash(), batch.Trace.Steps.Count), (accounts.Start.Hash(), accounts.End.Hash(), accounts.Steps.Count));
                foreach (var (domain, claim) in claims)
                {
                    Assert.Equal(DomainId.MarketKind, domain.Kind);
                    var trace = traces[domain.Market];
                    Assert.Equal(new DomainClaim(trace.Start.Hash(), trace.End.Hash(), (ulong)trace.Steps.Count), claim);
                    claimed++;
                }
            }

            // A start older than the engine's head (a game against an old batch) is replayed in a scratch engine: the same
            // accounts and trees as the chain's own traces of that batch started from, and the engine itself stays put.
            var (oldFirst, oldBatch, oldTraces) = second!.Value;
            var provableHead = provable.HeadBlock;
            Assert.True(provableHead > oldFirst - 1);
            var start = provable.StartOf(oldFirst - 1);
            Assert.Equal(provableHead, provable.HeadBlock);
            var oldReceipts = oldBatch.Results.Select(r => (IReadOnlyList<Receipt>)r.Receipts).ToList();
            var oldAccounts = new AccountsTraceBuilder(start.Accounts, chain.Engine.Domain, chain.Engine.Options.Operators)
                .Trace(oldBatch.Trace.Start.FirstSequence, oldBatch.Blocks, oldReceipts);
            Assert.Equal(oldBatch.Trace.End.Hash(), oldAccounts.End.Hash());
            var oldInputs = MarketBatchInputs.FromReceipts(oldBatch.Trace.Start.FirstSequence, oldBatch.Blocks, oldReceipts);
            foreach (var (market, trace) in oldTraces)
            {
                var replayed = new MarketTraceBuilder(market, start.Markets.TryGetValue(market, out var trees) ? trees : null).Trace(oldInputs);
                Assert.Equal(trace.End.Hash(), replayed.End.Hash());
            }
            Assert.Equal(0, provable.Rebuilds);
        }
        finally
        {
            provable.Dispose();
        }
        Assert.True(claimed >= 16, $"only {claimed} market claims");
    }

    [Fact]
    public void After_ABlockBeforeItsHeadNotRemembered_ReplaysTheChainFromGenesis()
    {
        using var chain = new MarketStepChain();
        using var provableDir = new TempDirectory("rollup-provable");
        var generator = new ChainFlowGenerator(62, markets: 2, accounts: 20, signingDomain: StepChain.Domain);
        for (var b = 0; b < 8; b++)
        {
            chain.Run([generator.Next(40)]);
        }
        using var provable = new ProvableMarkets(provableDir.Path, StepChain.Options, chain.Engine.GetBlock);
        var after3 = provable.After(3)[1].Roots;
        for (var n = 4UL; n <= 7; n++)
        {
            Assert.Equal(2, provable.After(n).Count);
        }
        // The last four asked for are remembered (a batch L1 refused is built again from the same start) ...
        Assert.Same(provable.After(4), provable.After(4));
        Assert.Equal(0, provable.Rebuilds);
        // ... an older one is not (L1 dropped more batches): the chain is replayed from genesis up to it.
        Assert.Equal(after3, provable.After(3)[1].Roots);
        Assert.Equal(1, provable.Rebuilds);
        Assert.Equal(3UL, provable.HeadBlock);
        using var reference = new TempDirectory("rollup-provable-reference");
        using var fresh = new ProvableMarkets(reference.Path, StepChain.Options, chain.Engine.GetBlock);
        Assert.Equal(fresh.After(7)[2].Roots, provable.After(7)[2].Roots);
    }
}
