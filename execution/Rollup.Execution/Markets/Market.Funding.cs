using Rollup.Execution.Blocks;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    /// <summary>Cumulative funding per unit of size, in <see cref="FundingMath.Scale"/> units of collateral.</summary>
    public long FundingIndex { get; private set; }

    /// <summary>
    /// Funding settled by positions and not yet settled to the others: payers round up and receivers down, so
    /// once every position has settled it holds the dust, which stays the market's. Negative while receivers
    /// have settled before payers.
    /// </summary>
    public long FundingPool { get; private set; }

    public bool IsFundingDue(ulong blockNumber) => MarketRules.IsFundingDue(Params, OraclePrice, LastFundingBlock, blockNumber);

    /// <summary>
    /// A funding event: the rate is the premium of the mark over the oracle price, capped; when positive, longs
    /// pay shorts. It moves the funding index only, one write whatever the number of positions; each position
    /// pays or receives its share when it is next written (<see cref="SettleFunding"/>).
    /// </summary>
    internal void PayFunding(MarketBlockContext context)
    {
        LastFundingBlock = context.BlockNumber;
        MarkRecordDirty();
        var rate = MarketRules.FundingRate(MarkPrice, OraclePrice, Params.FundingCapPpm);
        if (rate != 0)
        {
            FundingIndex = FundingMath.Move(FundingIndex, rate, OraclePrice, Params.SizeScale);
        }
    }

    /// <summary>Funding the position owes since it last settled (negative: it is owed), as settling would book it.</summary>
    private long PendingFunding(PositionState position) => FundingMath.Owed(position.Size, FundingIndex, position.SettledFundingIndex);

    /// <summary>
    /// Books the position's funding into its collateral and the market's pool. Called before anything writes the
    /// position (its size, before all, since what it owes is the size it held).
    /// </summary>
    internal void SettleFunding(PositionState position, MarketBlockContext context)
    {
        if (position.SettledFundingIndex == FundingIndex)
        {
            return;
        }
        var owed = PendingFunding(position);
        position.SettledFundingIndex = FundingIndex;
        MarkDirty(position);
        if (owed == 0)
        {
            return;
        }
        position.Collateral -= owed;
        FundingPool += owed;
        MarkRecordDirty();
        context.Events.Add(new ExecutionEvent(EventKind.Funding, Id, context.TxIndex, position.Account, Price: OraclePrice, Size: position.Size, Amount: owed));
    }

    /// <summary>Equity at <paramref name="price"/> with funding owed counted as if settled.</summary>
    private long EquityAt(PositionState position, long price) =>
        position.Collateral - PendingFunding(position) + MarginMath.Notional(price, position.Size, Params.SizeScale);
}
