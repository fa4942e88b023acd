namespace Rollup.Execution.Matching;

/// <summary>
/// A central limit order book for one market. It matches and keeps resting orders; it knows nothing of
/// margin, balances or storage. The engine checks risk before <see cref="Place"/> and settles from the
/// fills reported to its sink. Everything a book does depends only on the sequence of calls made on it.
///
/// Protocol rules (both implementations must follow them exactly; they decide state):
/// <list type="bullet">
/// <item>Price-time priority: the better price first; within a price, the earlier order (smaller id) first.
/// A resting order keeps its place when reduced.</item>
/// <item>A trade happens at the maker's (resting order's) price, never the taker's.</item>
/// <item>A buy takes asks priced at or below its price; a sell takes bids at or above. So the book is never
/// crossed or locked: best bid &lt; best ask whenever both exist.</item>
/// <item>Self-trade prevention, "cancel resting": when the taker reaches a resting order of its own account,
/// that resting order is cancelled in full (reported by <see cref="IFillSink.OnSelfTradeCancel"/>) and
/// matching continues with the next resting order. The taker keeps its size and priority of handling.</item>
/// <item>Checks run in this order, and a rejection changes nothing: invalid, duplicate id (against resting
/// orders; the book does not remember orders that are gone), post-only that would cross, fill-or-kill that
/// is not fillable, and no room to rest.</item>
/// <item>Post-only is rejected if its price reaches the best opposite price, even if that liquidity is its
/// own account's. It never trades.</item>
/// <item>Fill-or-kill is accepted only if resting orders of OTHER accounts at acceptable prices add up to its
/// size; it then matches like IOC (cancelling own resting orders it reaches on the way) and fills whole.</item>
/// <item>Market orders never rest: they act as IOC (or FOK) with their price as the limit. A post-only market
/// order is invalid.</item>
/// <item>Bounds: an order that could rest (a GTC or post-only limit) when the book has no room for it as it
/// stands before matching (<see cref="OrderBookLimits.MaxOrders"/> resting orders, or a new price level on a
/// side that has <see cref="OrderBookLimits.MaxLevelsPerSide"/>) is rejected, unless it would fill whole by
/// the fill-or-kill test. Matching only frees room, so an accepted order never fails half way.</item>
/// </list>
/// </summary>
public interface IOrderBook
{
    OrderBookLimits Limits { get; }

    /// <summary>Resting orders on both sides.</summary>
    int OrderCount { get; }

    /// <summary>Distinct prices on one side.</summary>
    int LevelCount(BookSide side);

    bool TryGetBestBid(out long price);

    bool TryGetBestAsk(out long price);

    /// <summary>Matches <paramref name="order"/> and rests what remains as its time in force says.</summary>
    PlaceResult Place<TSink>(in NewOrder order, ref TSink sink)
        where TSink : struct, IFillSink;

    /// <summary>Removes a resting order; false (and <c>default</c>) when no order with this id rests.</summary>
    bool Cancel(ulong orderId, out RestingOrder cancelled);

    bool TryGet(ulong orderId, out RestingOrder order);

    /// <summary>
    /// Lowers a resting order's size to <paramref name="newSize"/> (0 &lt; newSize &lt; its size) keeping its
    /// priority; false otherwise (cancel to remove it). <paramref name="reduced"/> is the order after.
    /// </summary>
    bool TryReduceSize(ulong orderId, long newSize, out RestingOrder reduced);

    /// <summary>
    /// Puts a resting order back without matching, for rebuilding a book after a restart. Within its price it
    /// goes by order id, so any restore order of the same set gives the same book. Returns
    /// <see cref="PlaceStatus.Rested"/>, or why not: invalid, duplicate id, would cross the other side
    /// (<see cref="PlaceStatus.RejectedPostOnlyWouldCross"/>), or book full.
    /// </summary>
    PlaceStatus Restore(in RestingOrder order);

    /// <summary>Visits one side's orders in priority order (best price first, FIFO within a price).</summary>
    void ForEachOrder<TVisitor>(BookSide side, ref TVisitor visitor)
        where TVisitor : struct, IOrderVisitor;

    /// <summary>Writes the best <c>destination.Length</c> levels of one side, best first; returns how many.</summary>
    int GetLevels(BookSide side, Span<BookLevel> destination);

    /// <summary>Removes every order, keeping any memory the book has grown.</summary>
    void Clear();
}
