using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    internal void SetParams(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        var parameters = tx.Params!;
        // The book's bounds and the contract's units are fixed at creation: resting orders depend on them.
        if (parameters.TickSize != Params.TickSize || parameters.LotSize != Params.LotSize || parameters.SizeScale != Params.SizeScale
            || parameters.MaxBookOrders != Params.MaxBookOrders || parameters.MaxBookLevels != Params.MaxBookLevels)
        {
            context.Reject(txIndex, TxStatus.InvalidMarketParams);
            return;
        }
        Params = parameters;
        MarkRecordDirty();
        context.Accept(txIndex);
    }

    internal void Pause(int txIndex, MarketBlockContext context)
    {
        if (HaltReason == HaltReason.None)
        {
            context.TxIndex = txIndex;
            Halt(HaltReason.OperatorPause, context);
        }
        context.Accept(txIndex);
    }

    /// <summary>Lifts a pause or a circuit-breaker halt; the breaker's window restarts from the current mark.</summary>
    internal void Resume(int txIndex, MarketBlockContext context)
    {
        HaltReason = HaltReason.None;
        HaltWindowStartMark = 0;
        MarkRecordDirty();
        context.Accept(txIndex);
    }
}
