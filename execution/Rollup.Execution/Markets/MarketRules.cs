using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Markets;

/// <summary>
/// The market rules that the engine and the market step function (Steps/Markets) both apply, defined once: the mark
/// price, the price band, when funding is due and its rate, the circuit breaker.
/// </summary>
internal static class MarketRules
{
    /// <summary>
    /// The median of the oracle price, the best bid and the best ask (a missing side counts as the oracle price), so
    /// neither a thin book nor a single oracle tick moves it alone; 0 while there is no oracle price.
    /// </summary>
    public static long Mark(long oracle, long? bestBid, long? bestAsk)
    {
        if (oracle == 0)
        {
            return 0;
        }
        var bid = bestBid ?? oracle;
        var ask = bestAsk ?? oracle;
        return Math.Max(Math.Min(oracle, bid), Math.Min(Math.Max(oracle, bid), ask));
    }

    /// <summary>
    /// The checks of an order that read no position, in the order the engine makes them: market halted or paused,
    /// invalid terms, tick, lot, no oracle price, out of band, notional overflow. <see cref="TxStatus.Accepted"/> when
    /// all pass; the position's checks (margin, open orders, client id, reduce-only) come after.
    /// </summary>
    public static TxStatus OrderTerms(in Transaction tx, MarketParams parameters, HaltReason halt, long oracle)
    {
        if (halt != HaltReason.None)
        {
            return halt == HaltReason.OperatorPause ? TxStatus.MarketPaused : TxStatus.MarketHalted;
        }
        if (tx.Price == 0 || tx.Size == 0 || tx.Price > long.MaxValue || tx.Size > long.MaxValue
            || !Enum.IsDefined(tx.OrderKind) || !Enum.IsDefined(tx.TimeInForce)
            || (tx.OrderKind == OrderKind.Market && tx.TimeInForce == TimeInForce.PostOnly))
        {
            return TxStatus.InvalidOrder;
        }
        if (tx.Price % parameters.TickSize != 0)
        {
            return TxStatus.TickViolation;
        }
        if (tx.Size % parameters.LotSize != 0)
        {
            return TxStatus.LotViolation;
        }
        if (oracle == 0)
        {
            return TxStatus.NoOraclePrice;
        }
        if (!WithinBand((long)tx.Price, oracle, parameters.PriceBandPpm))
        {
            return TxStatus.PriceOutOfBand;
        }
        return MarginMath.TryNotional((long)tx.Price, (long)tx.Size, parameters.SizeScale, out _) ? TxStatus.Accepted : TxStatus.Overflow;
    }

    public static bool WithinBand(long price, long oracle, uint bandPpm)
    {
        var distance = (Int128)Math.Abs(price - oracle) * MarginMath.Ppm;
        return distance <= (Int128)oracle * bandPpm;
    }

    public static bool IsFundingDue(MarketParams parameters, long oracle, ulong lastFundingBlock, ulong block) =>
        parameters.FundingIntervalBlocks > 0 && oracle > 0 && block >= lastFundingBlock + parameters.FundingIntervalBlocks;

    /// <summary>The premium of the mark over the oracle price in ppm, capped; positive: longs pay shorts.</summary>
    public static long FundingRate(long mark, long oracle, uint capPpm)
    {
        var premium = (long)((Int128)(mark - oracle) * MarginMath.Ppm / oracle);
        return Math.Clamp(premium, -(long)capPpm, capPpm);
    }

    /// <summary>Whether the breaker's window starts again at this block (none yet, or the last one has run out).</summary>
    public static bool BreakerWindowRestarts(long windowStartMark, ulong windowStartBlock, uint windowBlocks, ulong block) =>
        windowStartMark == 0 || block >= windowStartBlock + windowBlocks;

    /// <summary>Whether the mark moved beyond the market's limit since its window started.</summary>
    public static bool BreakerTrips(long mark, long windowStartMark, uint haltMovePpm)
    {
        var move = (Int128)Math.Abs(mark - windowStartMark) * MarginMath.Ppm;
        return haltMovePpm > 0 && move > (Int128)windowStartMark * haltMovePpm;
    }
}
