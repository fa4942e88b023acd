using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    /// <summary>An oracle price older than this, by the block's clock, is stale.</summary>
    public const ulong OracleMaxAgeMs = 60_000;

    /// <summary>An oracle price from further ahead than this, by the block's clock, is refused.</summary>
    public const ulong OracleMaxLeadMs = 5_000;

    internal void ApplyOracleUpdate(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        // Checked here, in order with the market's own parameter changes, not by the accounts domain, which holds
        // no market state (docs/steps.md).
        if (!IsOracleSigner(tx.Account))
        {
            context.Reject(txIndex, TxStatus.NotOracleSigner);
            return;
        }
        if (tx.Price == 0 || tx.Price > long.MaxValue / 2 || tx.Price % Params.TickSize != 0)
        {
            context.Reject(txIndex, TxStatus.InvalidPrice);
            return;
        }
        if (tx.Timestamp <= OracleTimestamp)
        {
            context.Reject(txIndex, TxStatus.OracleOutOfOrder);
            return;
        }
        if (tx.Timestamp + OracleMaxAgeMs < context.Timestamp || tx.Timestamp > context.Timestamp + OracleMaxLeadMs)
        {
            context.Reject(txIndex, TxStatus.StaleOracle);
            return;
        }
        OraclePrice = (long)tx.Price;
        OracleTimestamp = tx.Timestamp;
        // Margin checks later in the block see the new price; the circuit breaker looks at the end of the block.
        MarkPrice = ComputeMark();
        MarkRecordDirty();
        context.Accept(txIndex);
    }

    private bool IsOracleSigner(in Primitives.Address account)
    {
        foreach (var signer in Params.OracleSigners)
        {
            if (signer == account)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Mark price: the median of the oracle price, the best bid and the best ask (a missing side counts as
    /// the oracle price), so neither a thin book nor a single oracle tick moves it alone.
    /// </summary>
    internal long ComputeMark() =>
        MarketRules.Mark(OraclePrice, Book.TryGetBestBid(out var bid) ? bid : null, Book.TryGetBestAsk(out var ask) ? ask : null);

    /// <summary>Updates the mark and trips the circuit breaker on a move beyond the market's limit within its window.</summary>
    internal void UpdateMark(MarketBlockContext context)
    {
        var mark = ComputeMark();
        if (mark != MarkPrice)
        {
            MarkPrice = mark;
            MarkRecordDirty();
        }
        if (mark == 0)
        {
            return;
        }
        if (MarketRules.BreakerWindowRestarts(HaltWindowStartMark, HaltWindowStartBlock, Params.HaltWindowBlocks, context.BlockNumber))
        {
            HaltWindowStartBlock = context.BlockNumber;
            HaltWindowStartMark = mark;
            MarkRecordDirty();
            return;
        }
        if (MarketRules.BreakerTrips(mark, HaltWindowStartMark, Params.HaltMovePpm) && !IsCancelOnly)
        {
            Halt(HaltReason.MarkMove, context);
        }
    }

    internal void Halt(HaltReason reason, MarketBlockContext context)
    {
        HaltReason = reason;
        MarkRecordDirty();
        context.Events.Add(new ExecutionEvent(EventKind.MarketHalted, Id, context.TxIndex, default, Amount: (long)reason));
    }
}
