using Rollup.Execution.Transactions;

namespace Rollup.Execution.Markets;

/// <summary>What makes market parameters acceptable (docs/execution.md, "Markets").</summary>
public static class MarketParamsRules
{
    public const int MaxSymbolLength = 16;

    /// <summary>A position's leaf lists its resting orders (docs/steps.md), so their number is bounded for calldata.</summary>
    public const uint MaxOpenOrdersPerAccount = 256;

    public static bool AreValid(MarketParams p)
    {
        if (p.Symbol.Length is 0 or > MaxSymbolLength)
        {
            return false;
        }
        foreach (var c in p.Symbol)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }
        return p.TickSize > 0 && p.TickSize <= long.MaxValue / 4
            && p.LotSize > 0 && p.LotSize <= long.MaxValue / 4
            && IsPowerOfTen(p.SizeScale)
            && p.MaintenanceMarginPpm > 0 && p.MaintenanceMarginPpm < p.InitialMarginPpm && p.InitialMarginPpm <= MarginMath.Ppm
            && p.MakerFeePpm <= 100_000 && p.TakerFeePpm <= 100_000 && p.LiquidationFeePpm <= 500_000
            && p.PriceBandPpm is > 0 and < 1_000_000
            && p.MaxOpenOrdersPerAccount is > 0 and <= MaxOpenOrdersPerAccount
            && p.FundingCapPpm <= 100_000
            && p.HaltMovePpm <= MarginMath.Ppm
            && p.MaxBookOrders is > 0 and <= 1_000_000 && p.MaxBookLevels is > 0 and <= 100_000
            && p.OracleSigners.Count is > 0 and <= MarketParams.MaxOracleSigners;
    }

    private static bool IsPowerOfTen(ulong value)
    {
        if (value == 0)
        {
            return false;
        }
        while (value % 10 == 0)
        {
            value /= 10;
        }
        return value == 1;
    }
}
