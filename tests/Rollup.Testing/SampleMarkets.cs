using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Testing;

/// <summary>The market parameters tests use: a BTC-like perpetual priced in 6-decimal collateral, 10x leverage.</summary>
public static class SampleMarkets
{
    public static MarketParams Perpetual(string symbol, Address oracle, ulong tickSize = 100, uint fundingIntervalBlocks = 10) => new()
    {
        Symbol = symbol,
        TickSize = tickSize,
        LotSize = 1_000,
        SizeScale = 100_000_000,
        InitialMarginPpm = 100_000,
        MaintenanceMarginPpm = 50_000,
        MakerFeePpm = 100,
        TakerFeePpm = 500,
        PriceBandPpm = 100_000,
        MaxOpenOrdersPerAccount = 50,
        FundingIntervalBlocks = fundingIntervalBlocks,
        FundingCapPpm = 1_000,
        LiquidationFeePpm = 10_000,
        HaltMovePpm = 300_000,
        HaltWindowBlocks = 20,
        MaxBookOrders = 10_000,
        MaxBookLevels = 1_000,
        OracleSigners = [oracle],
    };
}
