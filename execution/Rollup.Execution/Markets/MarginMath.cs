namespace Rollup.Execution.Markets;

/// <summary>
/// Integer margin arithmetic. Notional in collateral base units is price·size/scale, rounded toward zero;
/// fractions are parts per million. Products are taken in 128 bits; results that do not fit are refused.
/// </summary>
internal static class MarginMath
{
    public const long Ppm = 1_000_000;

    /// <summary>The largest notional a single value may reach: leaves headroom for sums of a few of them.</summary>
    public const long MaxNotional = 1L << 60;

    public static bool TryNotional(long price, long size, ulong scale, out long notional)
    {
        var value = (Int128)price * size / (Int128)scale;
        if (value > MaxNotional || value < -MaxNotional)
        {
            notional = 0;
            return false;
        }
        notional = (long)value;
        return true;
    }

    /// <summary>Notional of a size already known to fit (positions, bounded by the admission checks).</summary>
    public static long Notional(long price, long size, ulong scale) => (long)((Int128)price * size / (Int128)scale);

    /// <summary>⌈amount·ppm/10^6⌉ for a non-negative amount: fees and requirements round against the trader.</summary>
    public static long FractionUp(long amount, uint ppm) => (long)(((Int128)amount * ppm + (Ppm - 1)) / Ppm);

    public static long FractionUp(Int128 amount, uint ppm) => (long)((amount * ppm + (Ppm - 1)) / Ppm);

    /// <summary>
    /// Initial margin of a position and its resting orders: the fraction of the position's notional at
    /// <paramref name="mark"/> plus the notional of every resting order at its own price.
    /// </summary>
    public static long InitialRequirement(PositionState position, long mark, ulong scale, uint initialPpm, Int128 extraOrderValue)
    {
        var exposure = (Int128)mark * Math.Abs(position.Size) + position.OpenBuyValue + position.OpenSellValue + extraOrderValue;
        return FractionUp(exposure / scale, initialPpm);
    }
}
