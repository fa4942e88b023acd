namespace Rollup.Execution.Markets;

/// <summary>
/// Funding through a cumulative index (docs/execution.md#funding): each funding event moves the market's index
/// by the rate times the oracle price per unit of size, and a position settles what it owes when it is written,
/// from the index it last settled at. Integer arithmetic, the same on every node and on L1.
/// </summary>
internal static class FundingMath
{
    /// <summary>The index counts collateral base units per unit of size times this.</summary>
    public const long Scale = 1_000_000_000;

    /// <summary>The index stays within ±2^62: a move that would take it further is cut there.</summary>
    public const long Limit = 1L << 62;

    /// <summary>A funding event at <paramref name="ratePpm"/> (signed; positive: longs pay) and the oracle price.</summary>
    public static long Move(long index, long ratePpm, long oraclePrice, ulong sizeScale)
    {
        // ratePpm/10^6 · oracle/sizeScale · Scale, truncated toward zero.
        var move = (Int128)ratePpm * oraclePrice * (Scale / MarginMath.Ppm) / (Int128)sizeScale;
        var next = index + move;
        return (long)Int128.Clamp(next, -Limit, Limit);
    }

    /// <summary>
    /// What a position of <paramref name="size"/> owes between two index values: positive it pays, rounded up;
    /// negative it receives, rounded down in magnitude. So the market's funding pool never pays out more than
    /// it is owed.
    /// </summary>
    public static long Owed(long size, long index, long settledIndex)
    {
        var exact = (Int128)size * (index - settledIndex);
        if (exact == 0)
        {
            return 0;
        }
        var owed = exact > 0 ? (exact + (Scale - 1)) / Scale : -(-exact / Scale);
        return (long)Int128.Clamp(owed, -MarginMath.MaxNotional, MarginMath.MaxNotional);
    }
}
