using Rollup.Execution.Transactions;

namespace Rollup.Execution.Matching;

/// <summary>
/// The plain order book that <see cref="FastOrderBook"/> is checked against: a sorted dictionary of price
/// levels per side, best first, each a FIFO linked list, and a dictionary from order id to its list node.
/// It takes one maker at a time and is written to be obviously right, not fast; it allocates freely.
/// </summary>
public sealed class ReferenceOrderBook : IOrderBook
{
    private sealed class Entry(ulong orderId, uint account, bool isBuy, long price, long size)
    {
        public ulong OrderId { get; } = orderId;
        public uint Account { get; } = account;
        public bool IsBuy { get; } = isBuy;
        public long Price { get; } = price;
        public long Size { get; set; } = size;

        public RestingOrder ToResting() => new(OrderId, Account, IsBuy, Price, Size);
    }

    private static readonly Comparer<long> Descending = Comparer<long>.Create((a, b) => b.CompareTo(a));

    // Bids best (highest) first, asks best (lowest) first.
    private readonly SortedDictionary<long, LinkedList<Entry>> _bids = new(Descending);
    private readonly SortedDictionary<long, LinkedList<Entry>> _asks = new();
    private readonly Dictionary<ulong, LinkedListNode<Entry>> _byId = [];

    public ReferenceOrderBook(OrderBookLimits limits) => Limits = OrderRules.CheckSet(limits);

    public OrderBookLimits Limits { get; }

    public int OrderCount => _byId.Count;

    public int LevelCount(BookSide side) => Levels(side).Count;

    public bool TryGetBestBid(out long price) => TryGetBest(_bids, out price, out _);

    public bool TryGetBestAsk(out long price) => TryGetBest(_asks, out price, out _);

    public PlaceResult Place<TSink>(in NewOrder order, ref TSink sink)
        where TSink : struct, IFillSink
    {
        if (!OrderRules.IsValid(order))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedInvalid, order.Size);
        }
        if (_byId.ContainsKey(order.OrderId))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedDuplicateId, order.Size);
        }
        var opposite = order.IsBuy ? _asks : _bids;
        if (order.TimeInForce == TimeInForce.PostOnly
            && TryGetBest(opposite, out var bestOpposite, out _)
            && OrderRules.Crosses(order.IsBuy, order.Price, bestOpposite))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedPostOnlyWouldCross, order.Size);
        }
        if (order.TimeInForce == TimeInForce.Fok && !FillableFromOtherAccounts(order))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedFokNotFillable, order.Size);
        }
        var canRest = OrderRules.CanRest(order);
        if (canRest
            && !HasRoomFor(order.IsBuy ? _bids : _asks, order.Price)
            && (order.TimeInForce == TimeInForce.PostOnly || !FillableFromOtherAccounts(order)))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedBookFull, order.Size);
        }

        long remaining = order.Size;
        var fills = 0;
        var selfTradeCancels = 0;
        long selfTradeCancelledSize = 0;
        while (remaining > 0
            && TryGetBest(opposite, out var price, out var queue)
            && OrderRules.Crosses(order.IsBuy, order.Price, price))
        {
            var maker = queue.First!.Value;
            if (maker.Account == order.Account)
            {
                Remove(maker.OrderId);
                selfTradeCancels++;
                selfTradeCancelledSize += maker.Size;
                var cancelled = maker.ToResting();
                sink.OnSelfTradeCancel(cancelled, order.OrderId);
                continue;
            }
            var traded = Math.Min(remaining, maker.Size);
            maker.Size -= traded;
            remaining -= traded;
            fills++;
            if (maker.Size == 0)
            {
                Remove(maker.OrderId);
            }
            var fill = new Fill(maker.OrderId, maker.Account, order.OrderId, order.Account, order.IsBuy, maker.Price, traded, maker.Size);
            sink.OnFill(fill);
        }

        var filled = order.Size - remaining;
        var rests = canRest && remaining > 0;
        if (rests)
        {
            Add(new RestingOrder(order.OrderId, order.Account, order.IsBuy, order.Price, remaining));
        }
        return new PlaceResult(
            OrderRules.FinalStatus(order.Size, filled, rests),
            filled,
            rests ? remaining : 0,
            rests ? 0 : remaining,
            fills,
            selfTradeCancels,
            selfTradeCancelledSize);
    }

    public bool Cancel(ulong orderId, out RestingOrder cancelled)
    {
        if (!_byId.TryGetValue(orderId, out var node))
        {
            cancelled = default;
            return false;
        }
        cancelled = node.Value.ToResting();
        Remove(orderId);
        return true;
    }

    public bool TryGet(ulong orderId, out RestingOrder order)
    {
        if (!_byId.TryGetValue(orderId, out var node))
        {
            order = default;
            return false;
        }
        order = node.Value.ToResting();
        return true;
    }

    public bool TryReduceSize(ulong orderId, long newSize, out RestingOrder reduced)
    {
        if (!_byId.TryGetValue(orderId, out var node) || newSize <= 0 || newSize >= node.Value.Size)
        {
            reduced = default;
            return false;
        }
        node.Value.Size = newSize;
        reduced = node.Value.ToResting();
        return true;
    }

    public PlaceStatus Restore(in RestingOrder order)
    {
        if (!OrderRules.IsValid(order))
        {
            return PlaceStatus.RejectedInvalid;
        }
        if (_byId.ContainsKey(order.OrderId))
        {
            return PlaceStatus.RejectedDuplicateId;
        }
        if (TryGetBest(order.IsBuy ? _asks : _bids, out var bestOpposite, out _)
            && OrderRules.Crosses(order.IsBuy, order.Price, bestOpposite))
        {
            return PlaceStatus.RejectedPostOnlyWouldCross;
        }
        if (!HasRoomFor(order.IsBuy ? _bids : _asks, order.Price))
        {
            return PlaceStatus.RejectedBookFull;
        }
        Add(order);
        return PlaceStatus.Rested;
    }

    public void ForEachOrder<TVisitor>(BookSide side, ref TVisitor visitor)
        where TVisitor : struct, IOrderVisitor
    {
        foreach (var level in Levels(side))
        {
            foreach (var entry in level.Value)
            {
                if (!visitor.Visit(entry.ToResting()))
                {
                    return;
                }
            }
        }
    }

    public int GetLevels(BookSide side, Span<BookLevel> destination)
    {
        var written = 0;
        foreach (var level in Levels(side))
        {
            if (written == destination.Length)
            {
                break;
            }
            long total = 0;
            foreach (var entry in level.Value)
            {
                total += entry.Size;
            }
            destination[written++] = new BookLevel(level.Key, total, level.Value.Count);
        }
        return written;
    }

    public void Clear()
    {
        _bids.Clear();
        _asks.Clear();
        _byId.Clear();
    }

    private SortedDictionary<long, LinkedList<Entry>> Levels(BookSide side) => side == BookSide.Bid ? _bids : _asks;

    private static bool TryGetBest(SortedDictionary<long, LinkedList<Entry>> levels, out long price, out LinkedList<Entry> queue)
    {
        foreach (var level in levels)
        {
            price = level.Key;
            queue = level.Value;
            return true;
        }
        price = 0;
        queue = null!;
        return false;
    }

    private bool HasRoomFor(SortedDictionary<long, LinkedList<Entry>> ownSide, long price) =>
        _byId.Count < Limits.MaxOrders
        && (ownSide.ContainsKey(price) || ownSide.Count < Limits.MaxLevelsPerSide);

    private bool FillableFromOtherAccounts(in NewOrder order)
    {
        long needed = order.Size;
        foreach (var level in order.IsBuy ? _asks : _bids)
        {
            if (!OrderRules.Crosses(order.IsBuy, order.Price, level.Key))
            {
                return false;
            }
            foreach (var entry in level.Value)
            {
                if (entry.Account != order.Account)
                {
                    needed -= entry.Size;
                    if (needed <= 0)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void Add(in RestingOrder order)
    {
        var side = order.IsBuy ? _bids : _asks;
        if (!side.TryGetValue(order.Price, out var queue))
        {
            queue = new LinkedList<Entry>();
            side.Add(order.Price, queue);
        }
        var entry = new Entry(order.OrderId, order.Account, order.IsBuy, order.Price, order.Size);
        // Within a price, orders go by id (time). New orders carry the largest id so far and land last;
        // only a restore out of id order walks back.
        var after = queue.Last;
        while (after is not null && after.Value.OrderId > order.OrderId)
        {
            after = after.Previous;
        }
        _byId.Add(order.OrderId, after is null ? queue.AddFirst(entry) : queue.AddAfter(after, entry));
    }

    private void Remove(ulong orderId)
    {
        var node = _byId[orderId];
        _byId.Remove(orderId);
        var queue = node.List!;
        queue.Remove(node);
        if (queue.Count == 0)
        {
            (node.Value.IsBuy ? _bids : _asks).Remove(node.Value.Price);
        }
    }
}
