using Rollup.Primitives;

namespace Rollup.Execution.Markets;

/// <summary>
/// Where a position stands in its side's liquidation order (docs/execution.md#liquidation): K, its collateral
/// per unit of size with its settled funding folded in, in funding-index units, then its address. K does not move
/// between touches while the index and the mark do, so a side's positions stay in order, the lowest K being the
/// first to fall below maintenance and the highest the first to be auto-deleveraged.
/// </summary>
internal readonly record struct RiskKey(Int128 K, Address Account) : IComparable<RiskKey>
{
    /// <summary>K is kept within ±2^95 so that it and an address fit a 32-byte tree key.</summary>
    public static readonly Int128 Limit = Int128.One << 95;

    /// <summary>
    /// ⌊(collateral·Scale + size·settledIndex) / |size|⌋: for a short (size −q) that is ⌊(collateral·Scale − q·settledIndex) / q⌋.
    /// </summary>
    public static RiskKey Of(long size, long collateral, long settledIndex, in Address account)
    {
        var quantity = Math.Abs(size);
        var numerator = (Int128)collateral * FundingMath.Scale + (Int128)size * settledIndex;
        return new RiskKey(Int128.Clamp(FloorDiv(numerator, quantity), -Limit, Limit - 1), account);
    }

    /// <summary>
    /// The K below which a long is below maintenance: I − ⌊mark·(10^6 − mm)·10^3 / scale⌋; a short:
    /// ⌈mark·(10^6 + mm)·10^3 / scale⌉ − I.
    /// </summary>
    public static Int128 Threshold(bool isLong, long index, long mark, ulong sizeScale, uint maintenancePpm)
    {
        var perPpm = FundingMath.Scale / MarginMath.Ppm;
        if (isLong)
        {
            return index - (Int128)mark * (MarginMath.Ppm - maintenancePpm) * perPpm / (Int128)sizeScale;
        }
        var scaled = (Int128)mark * (MarginMath.Ppm + maintenancePpm) * perPpm;
        return (scaled + ((Int128)sizeScale - 1)) / (Int128)sizeScale - index;
    }

    public int CompareTo(RiskKey other)
    {
        var byK = K.CompareTo(other.K);
        return byK != 0 ? byK : Account.CompareTo(other.Account);
    }

    private static Int128 FloorDiv(Int128 numerator, long denominator)
    {
        var quotient = numerator / denominator;
        return numerator % denominator != 0 && numerator < 0 ? quotient - 1 : quotient;
    }
}
