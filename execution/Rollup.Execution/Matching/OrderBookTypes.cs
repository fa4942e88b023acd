using Rollup.Execution.Transactions;

namespace Rollup.Execution.Matching;

/// <summary>One side of a book: bids are resting buy orders, asks resting sell orders.</summary>
public enum BookSide : byte
{
    Bid = 0,
    Ask = 1,
}

/// <summary>
/// An order as the engine hands it to the book, after its risk checks. Flat primitives only.
/// </summary>
/// <param name="OrderId">Unique, assigned by the engine in sequence order: a larger id is later in time.</param>
/// <param name="Account">The account's compact index; self-trade prevention compares these.</param>
/// <param name="IsBuy">True for a buy (takes asks, rests as a bid).</param>
/// <param name="Price">Ticks, &gt; 0. For a market order the worst price it accepts.</param>
/// <param name="Size">Lots, &gt; 0. The engine bounds sizes so a level's total fits in a <see cref="long"/>.</param>
/// <param name="Kind">Limit or market. A market order never rests: it is IOC at its price limit (or FOK).</param>
/// <param name="TimeInForce">Gtc, Ioc, Fok or PostOnly.</param>
public readonly record struct NewOrder(
    ulong OrderId,
    uint Account,
    bool IsBuy,
    long Price,
    long Size,
    OrderKind Kind = OrderKind.Limit,
    TimeInForce TimeInForce = TimeInForce.Gtc);

/// <summary>An order resting in a book; <see cref="Size"/> is what is left of it.</summary>
public readonly record struct RestingOrder(ulong OrderId, uint Account, bool IsBuy, long Price, long Size)
{
    public BookSide Side => IsBuy ? BookSide.Bid : BookSide.Ask;
}

/// <summary>
/// One trade between a taker (the incoming order) and a maker (a resting order), at the maker's price.
/// </summary>
public readonly record struct Fill(
    ulong MakerOrderId,
    uint MakerAccount,
    ulong TakerOrderId,
    uint TakerAccount,
    bool TakerIsBuy,
    long Price,
    long Size,
    long MakerRemainingSize)
{
    /// <summary>True when the maker has no size left and is gone from the book.</summary>
    public bool MakerFullyFilled => MakerRemainingSize == 0;
}

/// <summary>Aggregate of one price level: total resting size and how many orders make it up.</summary>
public readonly record struct BookLevel(long Price, long TotalSize, int OrderCount);

/// <summary>
/// The bounds of one book. A book is bounded so that a market cannot grow without limit in state:
/// an order that would have to rest beyond them is rejected (<see cref="PlaceStatus.RejectedBookFull"/>).
/// </summary>
public readonly record struct OrderBookLimits
{
    public OrderBookLimits(int maxOrders, int maxLevelsPerSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOrders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLevelsPerSide);
        MaxOrders = maxOrders;
        MaxLevelsPerSide = maxLevelsPerSide;
    }

    /// <summary>Most resting orders in the book, both sides together.</summary>
    public int MaxOrders { get; }

    /// <summary>Most distinct prices on each side.</summary>
    public int MaxLevelsPerSide { get; }
}

/// <summary>What happened to a placed order. Rejections change nothing in the book.</summary>
public enum PlaceStatus : byte
{
    /// <summary>Nothing traded; all of it rests.</summary>
    Rested = 0,
    /// <summary>All of it traded.</summary>
    Filled = 1,
    /// <summary>Part traded, the remainder rests.</summary>
    PartiallyFilledRested = 2,
    /// <summary>Part traded, the remainder was cancelled (IOC or market).</summary>
    PartiallyFilledCancelled = 3,
    /// <summary>Nothing traded and nothing rests (IOC or market with nothing to take).</summary>
    Cancelled = 4,
    /// <summary>Price or size not positive, an unknown kind or time in force, or a post-only market order.</summary>
    RejectedInvalid = 5,
    /// <summary>An order with this id is already resting.</summary>
    RejectedDuplicateId = 6,
    /// <summary>Post-only (or a restore) at a price that would trade against the best opposite price.</summary>
    RejectedPostOnlyWouldCross = 7,
    /// <summary>Fill-or-kill without enough liquidity from other accounts at acceptable prices.</summary>
    RejectedFokNotFillable = 8,
    /// <summary>It would have to rest, and the book has no room for another order or price level.</summary>
    RejectedBookFull = 9,
}

/// <summary>
/// The outcome of placing one order. Always <c>Size == FilledSize + RestingSize + CancelledSize</c>;
/// a rejected order has all of its size in <see cref="CancelledSize"/>.
/// </summary>
/// <param name="SelfTradeCancelCount">Resting orders of the taker's own account cancelled by self-trade prevention.</param>
/// <param name="SelfTradeCancelledSize">Their total remaining size.</param>
public readonly record struct PlaceResult(
    PlaceStatus Status,
    long FilledSize,
    long RestingSize,
    long CancelledSize,
    int FillCount,
    int SelfTradeCancelCount,
    long SelfTradeCancelledSize)
{
    public bool IsRejected => Status >= PlaceStatus.RejectedInvalid;

    internal static PlaceResult Rejected(PlaceStatus status, long size) => new(status, 0, 0, size, 0, 0, 0);
}

/// <summary>
/// Receives what a placement does to other orders, in the order it happens. Implement it on a struct
/// and pass it by <c>ref</c>: the matching loop is generic over it, so the JIT inlines the calls.
/// A sink must not call back into the book.
/// </summary>
public interface IFillSink
{
    /// <summary>A trade happened; the book is already updated.</summary>
    void OnFill(in Fill fill);

    /// <summary>
    /// Self-trade prevention removed <paramref name="cancelled"/> (its remaining size, in full) from the
    /// book because the taker <paramref name="takerOrderId"/> of the same account reached it. The engine
    /// releases whatever it reserved for that order.
    /// </summary>
    void OnSelfTradeCancel(in RestingOrder cancelled, ulong takerOrderId);
}

/// <summary>Visits resting orders in priority order; return false to stop.</summary>
public interface IOrderVisitor
{
    bool Visit(in RestingOrder order);
}
