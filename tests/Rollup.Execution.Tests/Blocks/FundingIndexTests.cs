using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Primitives;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>
/// Funding through the cumulative index (docs/execution.md#funding): an event moves the index only, and each
/// position pays or receives when it is next written. Expected amounts are worked out here from the published
/// rule, not read from the engine.
/// </summary>
public class FundingIndexTests
{
    private static readonly Address Alice = EngineFixture.AddressOf(1);
    private static readonly Address Bob = EngineFixture.AddressOf(2);
    private static readonly Address Carol = EngineFixture.AddressOf(3);
    private const long Price = 60_000_000_000;
    private const long OneBtc = 100_000_000;
    private const long SizeScale = 100_000_000;

    [Fact]
    public void FundingEvent_MovesTheIndexAlone_PositionsSettleWhenWritten()
    {
        using var f = new EngineFixture();
        f.CreateMarket(1).Deposit(Alice, 100_000_000_000).Deposit(Bob, 100_000_000_000).Deposit(Carol, 100_000_000_000).Block();
        f.OraclePrice(1, Price).MarginIn(Alice, 1, 50_000_000_000).MarginIn(Bob, 1, 50_000_000_000).MarginIn(Carol, 1, 50_000_000_000).Block();
        f.Order(Bob, 1, false, Price, OneBtc / 4).Order(Alice, 1, true, Price, OneBtc / 4).Block();
        // Resting bids and asks above the oracle lift the mark: a positive premium, longs pay.
        f.Order(Carol, 1, true, Price / 1000 * 1010, OneBtc / 10).Order(Carol, 1, false, Price / 1000 * 1020, OneBtc / 10).Block();
        Assert.True(f.Engine.TryGetMarket(1, out var market));

        BlockResult funded = null!;
        for (var i = 0; i < 12 && market.FundingIndex == 0; i++)
        {
            funded = f.Block();
        }
        Assert.NotEqual(0, market.FundingIndex);
        // The event wrote no position: no one settled yet.
        Assert.DoesNotContain(funded.Events, e => e.Kind == EventKind.Funding);
        var premium = (market.MarkPrice - market.OraclePrice) * 1_000_000 / market.OraclePrice;
        var rate = Math.Clamp(premium, -1_000, 1_000);
        Assert.Equal(1_000, rate);
        var index = (long)((Int128)rate * market.OraclePrice * 1_000 / SizeScale);
        Assert.Equal(index, market.FundingIndex);

        // A refused order writes nothing, so it settles nothing.
        var refused = f.Order(Alice, 1, true, Price * 2, OneBtc / 10).Block();
        Assert.Equal(TxStatus.PriceOutOfBand, refused.Receipts[0].Status);
        Assert.DoesNotContain(refused.Events, e => e.Kind == EventKind.Funding);

        var touched = f.MarginIn(Alice, 1, 1).MarginIn(Bob, 1, 1).Block();
        var alicePays = CeilDiv((Int128)(OneBtc / 4) * index, 1_000_000_000);
        var bobGets = (long)((Int128)(OneBtc / 4) * index / 1_000_000_000);
        Assert.Equal(alicePays, touched.Events.Single(e => e.Kind == EventKind.Funding && e.Account == Alice).Amount);
        Assert.Equal(-bobGets, touched.Events.Single(e => e.Kind == EventKind.Funding && e.Account == Bob).Amount);
        Assert.Equal(alicePays - bobGets, market.FundingPool);
        Assert.Equal(market.NetTransfersIn, market.TotalCollateral);

        // Settled once: touching again pays nothing more.
        var again = f.MarginIn(Alice, 1, 1).Block();
        Assert.DoesNotContain(again.Events, e => e.Kind == EventKind.Funding);
    }

    [Fact]
    public void FundingAlone_PushesAnUntouchedLongBelowMaintenance_ItIsLiquidatedThatBlock()
    {
        using var f = new EngineFixture();
        var parameters = EngineFixture.DefaultParams() with { FundingIntervalBlocks = 1, FundingCapPpm = 100_000 };
        f.CreateMarket(1, parameters).Deposit(Alice, 100_000_000_000).Deposit(Bob, 100_000_000_000).Deposit(Carol, 100_000_000_000).Block();
        f.OraclePrice(1, Price).MarginIn(Alice, 1, 6_200_000_000).MarginIn(Bob, 1, 50_000_000_000).MarginIn(Carol, 1, 50_000_000_000).Block();
        f.Order(Bob, 1, false, Price, OneBtc).Order(Alice, 1, true, Price, OneBtc).Block();
        // The book 3 % over the oracle: the mark is 3 % over, each event longs pay 3 % of the oracle notional.
        f.Order(Carol, 1, true, Price / 100 * 103, OneBtc / 10).Order(Carol, 1, false, Price / 100 * 104, OneBtc / 10).Block();
        Assert.True(f.Engine.TryGetMarket(1, out var market));

        var waited = 0;
        for (var block = 0; block < 20; block++)
        {
            var position = market.PositionsByIndex.Single(p => p.Account == Alice);
            var (size, collateral, settled) = (position.Size, position.Collateral, position.SettledFundingIndex);
            var mark = market.MarkPrice;
            var result = f.Block();
            var liquidated = result.Events.Any(e => e.Account == Alice && e.Kind is EventKind.Liquidation or EventKind.InsuranceTakeover or EventKind.Deleverage);
            // Her equity at this block's mark by the rule: collateral, less what she owes since she settled.
            var owed = CeilDiv((Int128)size * (market.FundingIndex - settled), 1_000_000_000);
            var equity = collateral - owed + (long)((Int128)size * mark / SizeScale);
            var maintenance = CeilDiv((Int128)Math.Abs(size) * mark / SizeScale * 50_000, 1_000_000);
            Assert.Equal(equity < maintenance, liquidated);
            if (liquidated)
            {
                Assert.True(waited > 0, "she should have paid funding for a while before falling below maintenance");
                Assert.True(!market.TryGetPosition(Alice, out var after, out _) || after == 0);
                return;
            }
            // Not written while she waited: funding moved the market's index only.
            Assert.DoesNotContain(result.Events, e => e.Account == Alice);
            waited += owed > 0 ? 1 : 0;
        }
        Assert.Fail("the long was never liquidated");
    }

    private static long CeilDiv(Int128 value, long divisor) => (long)((value + divisor - 1) / divisor);
}
