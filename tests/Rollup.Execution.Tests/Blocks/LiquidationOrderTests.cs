using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>
/// Liquidation follows each side's order by K (docs/execution.md#liquidation): lowest first, until none is
/// below maintenance. "Below maintenance" is checked here from its definition (equity with funding owed,
/// against the maintenance fraction of the notional at the mark), in exact rational arithmetic.
/// </summary>
public class LiquidationOrderTests
{
    private static readonly Address Thin = EngineFixture.AddressOf(0x20);
    private static readonly Address Thicker = EngineFixture.AddressOf(0x10);
    private static readonly Address Bob = EngineFixture.AddressOf(0x30);
    private const long Price = 60_000_000_000;
    private const long OneBtc = 100_000_000;

    [Fact]
    public void TwoLongsBelowMaintenance_TheThinnerGoesFirst_WhateverTheAddresses()
    {
        Assert.True(Thin.CompareTo(Thicker) > 0, "the thin long must sort after the thicker one by address");
        using var f = new EngineFixture();
        f.CreateMarket(1).Deposit(Thin, 100_000_000_000).Deposit(Thicker, 100_000_000_000).Deposit(Bob, 1_000_000_000_000).Block();
        f.OraclePrice(1, Price).MarginIn(Thin, 1, 6_100_000_000).MarginIn(Thicker, 1, 6_500_000_000).MarginIn(Bob, 1, 500_000_000_000).Block();
        f.Order(Bob, 1, false, Price, 2 * OneBtc).Order(Thin, 1, true, Price, OneBtc).Order(Thicker, 1, true, Price, OneBtc).Block();
        f.Time += 1_000;
        var result = f.OraclePrice(1, Price / 100 * 93).Block();

        var closes = result.Events.Where(e => e.Kind is EventKind.Liquidation or EventKind.InsuranceTakeover or EventKind.Deleverage).ToList();
        var thin = closes.FindIndex(e => e.Account == Thin);
        var thicker = closes.FindIndex(e => e.Account == Thicker);
        Assert.True(thin >= 0 && thicker >= 0, "both longs fell below maintenance");
        Assert.True(thin < thicker, "the long with less collateral per unit of size is liquidated first");
    }

    [Fact]
    public void BankruptLongTheFundCannotTake_DeleveragedAgainstTheRicherShortFirst()
    {
        var rich = EngineFixture.AddressOf(0x40);
        var poor = EngineFixture.AddressOf(0x41);
        using var f = new EngineFixture();
        f.CreateMarket(1).Deposit(Thin, 100_000_000_000).Deposit(rich, 1_000_000_000_000).Deposit(poor, 100_000_000_000).Block();
        f.OraclePrice(1, Price).MarginIn(Thin, 1, 6_100_000_000).MarginIn(rich, 1, 500_000_000_000).MarginIn(poor, 1, 20_000_000_000).Block();
        f.Order(poor, 1, false, Price, OneBtc / 10 * 4).Order(rich, 1, false, Price, OneBtc / 10 * 6).Order(Thin, 1, true, Price, OneBtc).Block();
        // Below the long's bankruptcy price (about 53,930) with an empty book: the fund, holding nothing, would end
        // below zero taking it over, so the long is deleveraged against the shorts.
        f.Time += 1_000;
        var result = f.OraclePrice(1, Price / 6 * 5).Block();

        var deleverages = result.Events.Where(e => e.Kind == EventKind.Deleverage && e.Account == Thin).ToList();
        Assert.Equal([rich, poor], deleverages.Select(e => e.Counterparty));
        Assert.Equal([OneBtc / 10 * 6, OneBtc / 10 * 4], deleverages.Select(e => e.Size));
        Assert.DoesNotContain(result.Events, e => e.Kind == EventKind.InsuranceTakeover);
    }

    [Fact]
    public void SeededFlow_AfterEveryBlock_NoPositionIsLeftBelowMaintenance()
    {
        using var directory = new TempDirectory("rollup-liquidation-order");
        using var engine = ExecutionEngine.Open(directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false });
        var liquidations = 0;
        foreach (var block in DeterminismTests.Generate(seed: 21, count: 60))
        {
            var result = engine.Execute(block);
            liquidations += result.Events.Count(e => e.Kind == EventKind.Liquidation || e.Kind == EventKind.InsuranceTakeover || e.Kind == EventKind.Deleverage);
            foreach (var market in engine.Markets)
            {
                if (market.IsCancelOnly || market.MarkPrice == 0)
                {
                    continue;
                }
                foreach (var position in market.PositionsByIndex)
                {
                    if (position.Size != 0 && position.Account != Address.Zero)
                    {
                        Assert.False(BelowMaintenance(market, position), $"block {block.Number}, market {market.Id}: {position.Account} left below maintenance (size {position.Size}, collateral {position.Collateral}, mark {market.MarkPrice})");
                    }
                }
            }
        }
        Assert.True(liquidations > 0, "the flow liquidated no one: the check above proved nothing");
    }

    /// <summary>
    /// equity &lt; maintenance, with equity = collateral − size·(I − I_settled)/10^9 + size·mark/scale and
    /// maintenance = |size|·mark/scale·mm/10^6, both sides multiplied by scale·10^9.
    /// </summary>
    private static bool BelowMaintenance(Market market, PositionState position)
    {
        var scale = (Int128)market.Params.SizeScale;
        var equity = ((Int128)position.Collateral * 1_000_000_000 - (Int128)position.Size * (market.FundingIndex - position.SettledFundingIndex)) * scale
            + (Int128)position.Size * market.MarkPrice * 1_000_000_000;
        var maintenance = (Int128)Math.Abs(position.Size) * market.MarkPrice * market.Params.MaintenanceMarginPpm * 1_000;
        return equity < maintenance;
    }
}
