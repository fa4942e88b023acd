using Rollup.Primitives;

namespace Rollup.Execution.Markets;

/// <summary>
/// One account's isolated position in one market. <see cref="Collateral"/> is the account's margin in this
/// market plus every cash flow of its trades, fees and funding (a buy of q at p lowers it by p·q/scale, a
/// sell raises it), so equity at price p is <c>Collateral + Size·p/scale</c> and the market's collateral is
/// conserved trade by trade; funding it owes since <see cref="SettledFundingIndex"/> is settled into it when it is
/// written. The open-order totals are derived from the resting orders (not stored).
/// </summary>
internal sealed class PositionState
{
    public PositionState(in Address account, uint index)
    {
        Account = account;
        Index = index;
    }

    public Address Account { get; }

    /// <summary>The account's index inside this market's book; not part of state (reassigned on load).</summary>
    public uint Index { get; }

    /// <summary>Signed, in size units: positive long, negative short.</summary>
    public long Size { get; set; }

    public long Collateral { get; set; }

    /// <summary>The market's funding index when this position last settled funding (stored).</summary>
    public long SettledFundingIndex { get; set; }

    /// <summary>This position's entry in its side's liquidation order, when it has one (<see cref="RiskSide"/> ≠ 0).</summary>
    public RiskKey RiskKey { get; set; }

    /// <summary>1 in the longs' order, −1 in the shorts', 0 in neither (no size, or the insurance fund).</summary>
    public int RiskSide { get; set; }

    public long OpenBuySize { get; set; }

    public long OpenSellSize { get; set; }

    /// <summary>Σ price·size of resting buy orders (not divided by the size scale).</summary>
    public Int128 OpenBuyValue { get; set; }

    public Int128 OpenSellValue { get; set; }

    public int OpenOrders { get; set; }

    /// <summary>A position record is kept while it holds anything.</summary>
    public bool IsEmpty => Size == 0 && Collateral == 0 && OpenOrders == 0;
}
