using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// Cancels: one order by id or by client order id, found in its owner's position leaf (which gives its side and price,
/// hence its book key); and cancel-all, up to C orders a step.
/// </summary>
internal static class MarketCancelSteps
{
    public static TxStatus? Cancel(MarketStepRun run, in Transaction tx)
    {
        var owner = run.ReadPosition(tx.Account);
        var index = tx.Kind == TxKind.CancelOrderByClientId ? owner.Leaf.IndexOfClientOrder(tx.ClientOrderId) : owner.Leaf.IndexOfOrder(tx.OrderId);
        if (index < 0)
        {
            return TxStatus.OrderNotFound;
        }
        var order = owner.Leaf.Orders[index];
        run.RemoveOrder(order.IsBuy, order.Price, order.OrderId, tx.Account, order.ReduceOnly);
        owner.Leaf.Orders.RemoveAt(index);
        run.WritePosition(owner);
        return TxStatus.Accepted;
    }

    /// <summary>Cancels up to C of the account's orders in id order; the rest waits in the pending work for the next step.</summary>
    public static TxStatus? CancelAll(MarketStepRun run, CancelAllWork work, bool first)
    {
        var owner = run.ReadPosition(work.Account);
        if (!owner.Existed)
        {
            return first ? TxStatus.Accepted : throw new StepProofException("a pending cancel-all's account has no position");
        }
        var cancelled = 0;
        while (owner.Leaf.Orders.Count > 0 && cancelled < run.Context.CancelsPerStep)
        {
            var order = owner.Leaf.Orders[0];
            run.RemoveOrder(order.IsBuy, order.Price, order.OrderId, work.Account, order.ReduceOnly);
            owner.Leaf.Orders.RemoveAt(0);
            cancelled++;
        }
        if (cancelled > 0)
        {
            run.WritePosition(owner);
        }
        if (owner.Leaf.Orders.Count > 0)
        {
            run.State = run.State with { Pending = work.Encode() };
            return null;
        }
        run.State = run.State with { Pending = [] };
        return TxStatus.Accepted;
    }
}
