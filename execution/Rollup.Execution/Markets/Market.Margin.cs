using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    /// <summary>Credits collateral that phase A already took from the account's free balance.</summary>
    internal void MarginIn(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        var position = GetOrCreatePosition(tx.Account);
        SettleFunding(position, context);
        position.Collateral += (long)tx.Amount;
        NetTransfersIn += (long)tx.Amount;
        MarkDirty(position);
        MarkRecordDirty();
        context.Accept(txIndex);
    }

    /// <summary>
    /// Moves collateral out to the free balance if what stays covers the initial margin of the position and
    /// its resting orders at the mark price. The credit itself is applied after every market has run.
    /// </summary>
    internal void MarginOut(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        // A position that holds nothing counts as none, as it does once the node restarts (it is not stored).
        if (!_positions.TryGetValue(tx.Account, out var position) || position.IsEmpty || tx.Amount > long.MaxValue)
        {
            context.Reject(txIndex, TxStatus.InsufficientMargin);
            return;
        }
        var amount = (long)tx.Amount;
        var mark = MarkPrice == 0 ? OraclePrice : MarkPrice;
        var equity = EquityAt(position, mark);
        var requirement = MarginMath.InitialRequirement(position, mark, Params.SizeScale, Params.InitialMarginPpm, 0);
        // Free collateral (equity beyond the initial requirement) may leave, unrealized profit included:
        // the mark is a median of oracle and book, so a thin book alone cannot inflate it.
        if (equity - amount < requirement)
        {
            context.Reject(txIndex, TxStatus.InsufficientMargin);
            return;
        }
        SettleFunding(position, context);
        position.Collateral -= amount;
        NetTransfersIn -= amount;
        MarkDirty(position);
        MarkRecordDirty();
        context.Releases.Add(new MarginRelease(txIndex, tx.Account, amount, Id));
        context.Events.Add(new ExecutionEvent(EventKind.MarginReleased, Id, txIndex, tx.Account, Amount: amount));
        context.Accept(txIndex);
    }
}
