using System.Numerics;
using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Tests.Blocks;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Steps;

/// <summary>
/// The provable layout of a market (docs/steps.md, "Its leaves") held to the engine's own structures: the book
/// trees' left-to-right order is the order book's priority order, and the risk trees' order is the order of equity
/// per unit of size, worked out here from its definition.
/// </summary>
public class MarketDomainTreesTests
{
    [Fact]
    public void SeededFlow_BookTreesInPriorityOrder_RiskTreesInEquityOrder()
    {
        using var directory = new TempDirectory("rollup-market-trees");
        using var engine = ExecutionEngine.Open(directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false });
        foreach (var block in DeterminismTests.Generate(seed: 31, count: 25))
        {
            engine.Execute(block);
        }
        var checkedOrders = 0;
        var checkedPositions = 0;
        foreach (var market in engine.Markets)
        {
            var trees = MarketDomainTrees.Of(market);
            var orders = market.Orders();
            Assert.Equal((uint)market.RestingOrderCount, trees.Bids.Root.Count + trees.Asks.Root.Count);
            foreach (var isBuy in new[] { true, false })
            {
                var tree = isBuy ? trees.Bids : trees.Asks;
                var side = orders.Where(o => o.IsBuy == isBuy).ToList(); // the book's priority order
                Assert.Equal((ulong)side.Sum(o => o.RemainingSize), tree.Root.Size);
                for (var rank = 0; rank < side.Count; rank++)
                {
                    var key = MarketLeaves.BookKey(isBuy, side[rank].Price, side[rank].OrderId);
                    var proof = tree.GetProof(key);
                    Assert.True(proof.VerifyPresent(tree.Root.Hash, key, MarketLeaves.BookValue(side[rank].Account, side[rank].ReduceOnly), (ulong)side[rank].RemainingSize));
                    Assert.Equal((uint)rank, proof.PrefixCountAndSize(key).Count);
                    Assert.Equal(rank == 0, proof.IsLeftmost(key));
                    checkedOrders++;
                }
                if (side.Count > 0)
                {
                    Assert.True(isBuy ? market.TryGetBestBid(out var best) : market.TryGetBestAsk(out best));
                    Assert.Equal(best, MarketLeaves.BookPrice(isBuy, MarketLeaves.BookKey(isBuy, side[0].Price, side[0].OrderId)));
                }
            }
            foreach (var isLong in new[] { true, false })
            {
                var side = market.PositionsByIndex.Where(p => p.Account != Address.Zero && (isLong ? p.Size > 0 : p.Size < 0))
                    .OrderBy(p => ExactK(p)).ThenBy(p => p.Account).ToList();
                var tree = isLong ? trees.Longs : trees.Shorts;
                Assert.Equal((uint)side.Count, tree.Root.Count);
                for (var rank = 0; rank < side.Count; rank++)
                {
                    var key = MarketLeaves.RiskLeafKey(RiskKey.Of(side[rank].Size, side[rank].Collateral, side[rank].SettledFundingIndex, side[rank].Account));
                    Assert.Equal((uint)rank, tree.GetProof(key).PrefixCountAndSize(key).Count);
                    checkedPositions++;
                }
            }
        }
        Assert.True(checkedOrders > 100 && checkedPositions > 50, $"too little state to check: {checkedOrders} orders, {checkedPositions} positions");
    }

    [Fact]
    public void Roots_SameFlowAtOneAndEightWorkers_Equal()
    {
        var blocks = DeterminismTests.Generate(seed: 32, count: 15);
        Assert.Equal(RootsAfter(blocks, workers: 1), RootsAfter(blocks, workers: 8));
    }

    /// <summary>⌊(collateral·10^9 + size·I_settled) / |size|⌋ in unbounded integers: equity per unit of size, up to terms common to a side.</summary>
    private static BigInteger ExactK(PositionState p)
    {
        var numerator = (BigInteger)p.Collateral * 1_000_000_000 + (BigInteger)p.Size * p.SettledFundingIndex;
        var q = (BigInteger)Math.Abs(p.Size);
        var quotient = BigInteger.DivRem(numerator, q, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    private static List<Hash256> RootsAfter(IReadOnlyList<Block> blocks, int workers)
    {
        using var directory = new TempDirectory("rollup-market-trees-workers");
        using var engine = ExecutionEngine.Open(directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = workers, VerifySignatures = false });
        foreach (var block in blocks)
        {
            engine.Execute(block);
        }
        return engine.Markets.OrderBy(m => m.Id).Select(m => MarketDomainTrees.Of(m).Roots.MarketRoot).ToList();
    }
}
