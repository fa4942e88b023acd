using Rollup.Execution.Blocks;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    public bool IsFundingDue(ulong blockNumber) =>
        Params.FundingIntervalBlocks > 0 && OraclePrice > 0 && blockNumber >= LastFundingBlock + Params.FundingIntervalBlocks;

    /// <summary>
    /// Pays funding between the longs and shorts of this market. The rate is the premium of the mark over
    /// the oracle price, capped; when positive, longs pay shorts. Each payment is |size|·oracle/scale·rate:
    /// payers round up, receivers round down, and the dust goes to the insurance fund, so funding moves
    /// value only inside the market and exactly conserves it.
    /// </summary>
    internal void PayFunding(MarketBlockContext context)
    {
        LastFundingBlock = context.BlockNumber;
        MarkRecordDirty();
        var premium = (long)((Int128)(MarkPrice - OraclePrice) * MarginMath.Ppm / OraclePrice);
        var rate = Math.Clamp(premium, -(long)Params.FundingCapPpm, Params.FundingCapPpm);
        if (rate == 0)
        {
            return;
        }
        var longsPay = rate > 0;
        var ratePpm = (uint)Math.Abs(rate);
        var dust = 0L;
        foreach (var position in _positionsInOrder)
        {
            if (position.Size == 0)
            {
                continue;
            }
            var notional = (Int128)Math.Abs(position.Size) * OraclePrice / Params.SizeScale;
            var pays = position.Size > 0 == longsPay;
            var exact = notional * ratePpm;
            long amount;
            if (pays)
            {
                amount = (long)((exact + (MarginMath.Ppm - 1)) / MarginMath.Ppm);
                position.Collateral -= amount;
                dust += amount;
            }
            else
            {
                amount = (long)(exact / MarginMath.Ppm);
                position.Collateral += amount;
                dust -= amount;
            }
            MarkDirty(position);
            context.Events.Add(new ExecutionEvent(EventKind.Funding, Id, context.TxIndex, position.Account, Price: OraclePrice, Size: position.Size, Amount: pays ? amount : -amount));
        }
        Fund.Collateral += dust;
        MarkDirty(Fund);
    }
}
