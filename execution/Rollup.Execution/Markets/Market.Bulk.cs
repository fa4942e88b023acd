using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Markets;

public sealed partial class Market
{
    /// <summary>
    /// A bulk's items in list order, each as the PlaceOrder or cancel it stands for, each with its own result: an item
    /// refused (no margin, no such order, a post-only that would cross) changes nothing and does not undo the items
    /// before it or stop those after it. The bulk itself is accepted (its nonce is spent); the item at list position i
    /// places under order id <see cref="OrderIdOf"/>(block, the bulk's slot + i): a bulk takes one slot per item.
    /// </summary>
    internal void ExecuteBulk(in Transaction tx, int txIndex, MarketBlockContext context)
    {
        var items = tx.Items!.Span;
        var slot = context.SlotOf(txIndex);
        if (slot > MaxOrderSlots - items.Length)
        {
            context.Reject(txIndex, TxStatus.TooManyOrdersInBlock);
            return;
        }
        var results = new BulkItemResult[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            ref readonly var item = ref items[i];
            results[i] = item.Action switch
            {
                BulkAction.Place => Place(item.ToPlaceOrder(tx.Account, Id), txIndex, OrderIdOf(context.BlockNumber, slot + i), context),
                BulkAction.Cancel => new BulkItemResult(Cancel(tx.Account, item.OrderId, txIndex, context)),
                BulkAction.CancelByClientId => new BulkItemResult(CancelByClientId(tx.Account, item.ClientOrderId, txIndex, context)),
                BulkAction.CancelReplace => CancelReplace(tx, item, txIndex, slot + i, context),
                _ => throw new MarketInvariantException($"bulk item action {(byte)item.Action} reached market {Id}"),
            };
        }
        context.Receipts[txIndex] = new Receipt(txIndex, TxStatus.Accepted, Items: new ValueArray<BulkItemResult>(results));
    }

    /// <summary>Cancels the item's order, then places its new one; when the cancel fails nothing is placed and its status is the item's.</summary>
    private BulkItemResult CancelReplace(in Transaction tx, in BulkItem item, int txIndex, int itemSlot, MarketBlockContext context)
    {
        var cancelled = Cancel(tx.Account, item.OrderId, txIndex, context);
        return cancelled != TxStatus.Accepted
            ? new BulkItemResult(cancelled)
            : Place(item.ToPlaceOrder(tx.Account, Id), txIndex, OrderIdOf(context.BlockNumber, itemSlot), context);
    }
}
