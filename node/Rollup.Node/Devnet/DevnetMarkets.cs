using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Node.Devnet;

/// <summary>
/// The devnet's markets: perpetuals on BTC, ETH and SOL priced in mock USDC base units (6 decimals) per whole
/// contract, sizes in 1e-8 of a contract, 10x initial leverage.
/// </summary>
internal static class DevnetMarkets
{
    public static IReadOnlyList<(uint Id, string Symbol, ulong Price, ulong Tick)> All { get; } =
    [
        (1, "BTC-PERP", 60_000_000_000, 100_000),
        (2, "ETH-PERP", 3_000_000_000, 10_000),
        (3, "SOL-PERP", 150_000_000, 1_000),
    ];

    public static MarketParams Params(string symbol, ulong tick, Address oracle) => new()
    {
        Symbol = symbol,
        TickSize = tick,
        LotSize = 1_000,
        SizeScale = 100_000_000,
        InitialMarginPpm = 100_000,
        MaintenanceMarginPpm = 50_000,
        MakerFeePpm = 100,
        TakerFeePpm = 500,
        PriceBandPpm = 100_000,
        MaxOpenOrdersPerAccount = 200,
        FundingIntervalBlocks = 1_200,
        FundingCapPpm = 1_000,
        LiquidationFeePpm = 10_000,
        HaltMovePpm = 300_000,
        HaltWindowBlocks = 200,
        MaxBookOrders = 100_000,
        MaxBookLevels = 10_000,
        OracleSigners = [oracle],
    };
}
