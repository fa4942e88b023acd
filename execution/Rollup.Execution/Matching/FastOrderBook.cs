using System.Runtime.CompilerServices;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Matching;

/// <summary>
/// The order book the engine runs: the rules of <see cref="IOrderBook"/>, allocation-free once its arrays
/// have grown to the book's working size.
///
/// Orders live in a pool of structs (<see cref="OrderSlot"/>) linked into a doubly-linked FIFO list per price
/// level by index; freed slots go on a free list. Levels live in a pool too. Each side keeps a
/// <see cref="Ladder"/>: its levels' prices sorted so that the BEST is LAST, so taking the best level, adding
/// at the top and emptying the top are O(1), and a price deeper in the book is a binary search plus a shift
/// of the levels above it (few, when activity is near the top). An order id maps to its slot through a
/// dictionary used only for lookups; nothing is ever enumerated from it, so no result depends on its order.
/// </summary>
public sealed class FastOrderBook : IOrderBook
{
    private const int None = -1;

    private struct OrderSlot
    {
        public ulong OrderId;
        public long Price;
        public long Size;
        public uint Account;
        public bool IsBuy;
        /// <summary>Index of its level in <see cref="_levels"/>.</summary>
        public int Level;
        public int Prev;
        /// <summary>The next order at the same price, or the next free slot while free.</summary>
        public int Next;
    }

    private struct Level
    {
        public long Price;
        public long TotalSize;
        public int OrderCount;
        /// <summary>The earliest order, or the next free level while free.</summary>
        public int Head;
        public int Tail;
    }

    /// <summary>
    /// One side's prices, sorted ascending by key with the best last: a bid's key is its price, an ask's
    /// is minus its price. <see cref="LevelIndex"/> holds the matching level-pool indices.
    /// </summary>
    private sealed class Ladder(bool isBid, int capacity)
    {
        public long[] Keys = new long[capacity];
        public int[] LevelIndex = new int[capacity];
        public int Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long KeyOf(long price) => isBid ? price : -price;

        /// <summary>The position of <paramref name="key"/>, or the bitwise complement of where it would go.</summary>
        public int Find(long key)
        {
            var keys = Keys;
            var top = Count - 1;
            // Most activity is at or next to the best price: look there before searching.
            if (top < 0 || key > keys[top])
            {
                return ~Count;
            }
            if (key == keys[top])
            {
                return top;
            }
            int low = 0, high = top - 1;
            while (low <= high)
            {
                var middle = (int)((uint)(low + high) >> 1);
                var k = keys[middle];
                if (k == key)
                {
                    return middle;
                }
                if (k < key)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
            return ~low;
        }

        public void InsertAt(int position, long key, int levelIndex)
        {
            if (Count == Keys.Length)
            {
                Array.Resize(ref Keys, Count * 2);
                Array.Resize(ref LevelIndex, Count * 2);
            }
            var above = Count - position;
            if (above > 0)
            {
                Array.Copy(Keys, position, Keys, position + 1, above);
                Array.Copy(LevelIndex, position, LevelIndex, position + 1, above);
            }
            Keys[position] = key;
            LevelIndex[position] = levelIndex;
            Count++;
        }

        public void RemoveAt(int position)
        {
            var above = Count - position - 1;
            if (above > 0)
            {
                Array.Copy(Keys, position + 1, Keys, position, above);
                Array.Copy(LevelIndex, position + 1, LevelIndex, position, above);
            }
            Count--;
        }
    }

    private readonly Ladder _bids;
    private readonly Ladder _asks;
    private readonly Dictionary<ulong, int> _slotByOrderId;

    private OrderSlot[] _orders;
    private int _ordersUsed;
    private int _freeOrder = None;
    private int _orderCount;

    private Level[] _levels;
    private int _levelsUsed;
    private int _freeLevel = None;

    public FastOrderBook(OrderBookLimits limits)
    {
        Limits = OrderRules.CheckSet(limits);
        var orderCapacity = Math.Min(limits.MaxOrders, 1024);
        var levelCapacity = Math.Min(limits.MaxLevelsPerSide, 128);
        _orders = new OrderSlot[orderCapacity];
        _levels = new Level[levelCapacity * 2];
        _bids = new Ladder(isBid: true, levelCapacity);
        _asks = new Ladder(isBid: false, levelCapacity);
        _slotByOrderId = new Dictionary<ulong, int>(orderCapacity);
    }

    public OrderBookLimits Limits { get; }

    public int OrderCount => _orderCount;

    public int LevelCount(BookSide side) => LadderOf(side).Count;

    public bool TryGetBestBid(out long price) => TryGetBest(_bids, out price);

    public bool TryGetBestAsk(out long price) => TryGetBest(_asks, out price);

    public PlaceResult Place<TSink>(in NewOrder order, ref TSink sink)
        where TSink : struct, IFillSink
    {
        if (!OrderRules.IsValid(order))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedInvalid, order.Size);
        }
        if (_slotByOrderId.ContainsKey(order.OrderId))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedDuplicateId, order.Size);
        }
        var opposite = order.IsBuy ? _asks : _bids;
        if (order.TimeInForce == TimeInForce.PostOnly
            && TryGetBest(opposite, out var bestOpposite)
            && OrderRules.Crosses(order.IsBuy, order.Price, bestOpposite))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedPostOnlyWouldCross, order.Size);
        }
        if (order.TimeInForce == TimeInForce.Fok && !FillableFromOtherAccounts(order, opposite))
        {
            return PlaceResult.Rejected(PlaceStatus.RejectedFokNotFillable, order.Size);
        }
        var canRest = OrderRules.CanRest(order);
        var own = order.IsBuy ? _bids : _asks;
        var ownPosition = 0;
        if (canRest)
        {
            // Matching touches only the opposite side, so this position is still right when we rest.
            ownPosition = own.Find(own.KeyOf(order.Price));
            var hasRoom = _orderCount < Limits.MaxOrders && (ownPosition >= 0 || own.Count < Limits.MaxLevelsPerSide);
            if (!hasRoom && (order.TimeInForce == TimeInForce.PostOnly || !FillableFromOtherAccounts(order, opposite)))
            {
                return PlaceResult.Rejected(PlaceStatus.RejectedBookFull, order.Size);
            }
        }

        var totals = default(MatchTotals);
        var remaining = opposite.Count > 0 ? Match(order, opposite, ref sink, ref totals) : order.Size;

        var filled = order.Size - remaining;
        var rests = canRest && remaining > 0;
        if (rests)
        {
            Rest(own, ownPosition, order.OrderId, order.Account, order.IsBuy, order.Price, remaining);
        }
        return new PlaceResult(
            OrderRules.FinalStatus(order.Size, filled, rests),
            filled,
            rests ? remaining : 0,
            rests ? 0 : remaining,
            totals.Fills,
            totals.SelfTradeCancels,
            totals.SelfTradeCancelledSize);
    }

    public bool Cancel(ulong orderId, out RestingOrder cancelled)
    {
        if (!_slotByOrderId.Remove(orderId, out var slot))
        {
            cancelled = default;
            return false;
        }
        ref var order = ref _orders[slot];
        cancelled = new RestingOrder(order.OrderId, order.Account, order.IsBuy, order.Price, order.Size);
        var levelIndex = order.Level;
        ref var level = ref _levels[levelIndex];
        Unlink(ref level, ref order);
        FreeOrder(slot);
        if (level.OrderCount == 0)
        {
            var ladder = cancelled.IsBuy ? _bids : _asks;
            ladder.RemoveAt(ladder.Find(ladder.KeyOf(cancelled.Price)));
            FreeLevel(levelIndex);
        }
        return true;
    }

    public bool TryGet(ulong orderId, out RestingOrder order)
    {
        if (!_slotByOrderId.TryGetValue(orderId, out var slot))
        {
            order = default;
            return false;
        }
        ref var o = ref _orders[slot];
        order = new RestingOrder(o.OrderId, o.Account, o.IsBuy, o.Price, o.Size);
        return true;
    }

    public bool TryReduceSize(ulong orderId, long newSize, out RestingOrder reduced)
    {
        if (!_slotByOrderId.TryGetValue(orderId, out var slot) || newSize <= 0 || newSize >= _orders[slot].Size)
        {
            reduced = default;
            return false;
        }
        ref var o = ref _orders[slot];
        _levels[o.Level].TotalSize -= o.Size - newSize;
        o.Size = newSize;
        reduced = new RestingOrder(o.OrderId, o.Account, o.IsBuy, o.Price, o.Size);
        return true;
    }

    public PlaceStatus Restore(in RestingOrder order)
    {
        if (!OrderRules.IsValid(order))
        {
            return PlaceStatus.RejectedInvalid;
        }
        if (_slotByOrderId.ContainsKey(order.OrderId))
        {
            return PlaceStatus.RejectedDuplicateId;
        }
        if (TryGetBest(order.IsBuy ? _asks : _bids, out var bestOpposite)
            && OrderRules.Crosses(order.IsBuy, order.Price, bestOpposite))
        {
            return PlaceStatus.RejectedPostOnlyWouldCross;
        }
        var own = order.IsBuy ? _bids : _asks;
        var position = own.Find(own.KeyOf(order.Price));
        if (_orderCount >= Limits.MaxOrders || (position < 0 && own.Count >= Limits.MaxLevelsPerSide))
        {
            return PlaceStatus.RejectedBookFull;
        }
        Rest(own, position, order.OrderId, order.Account, order.IsBuy, order.Price, order.Size);
        return PlaceStatus.Rested;
    }

    public void ForEachOrder<TVisitor>(BookSide side, ref TVisitor visitor)
        where TVisitor : struct, IOrderVisitor
    {
        var ladder = LadderOf(side);
        for (var i = ladder.Count - 1; i >= 0; i--)
        {
            for (var slot = _levels[ladder.LevelIndex[i]].Head; slot != None; slot = _orders[slot].Next)
            {
                ref var o = ref _orders[slot];
                if (!visitor.Visit(new RestingOrder(o.OrderId, o.Account, o.IsBuy, o.Price, o.Size)))
                {
                    return;
                }
            }
        }
    }

    public int GetLevels(BookSide side, Span<BookLevel> destination)
    {
        var ladder = LadderOf(side);
        var written = Math.Min(ladder.Count, destination.Length);
        for (var i = 0; i < written; i++)
        {
            ref var level = ref _levels[ladder.LevelIndex[ladder.Count - 1 - i]];
            destination[i] = new BookLevel(level.Price, level.TotalSize, level.OrderCount);
        }
        return written;
    }

    public void Clear()
    {
        _slotByOrderId.Clear();
        _bids.Count = 0;
        _asks.Count = 0;
        _ordersUsed = 0;
        _freeOrder = None;
        _orderCount = 0;
        _levelsUsed = 0;
        _freeLevel = None;
    }

    private struct MatchTotals
    {
        public int Fills;
        public int SelfTradeCancels;
        public long SelfTradeCancelledSize;
    }

    /// <summary>Takes liquidity from the top of <paramref name="opposite"/>; returns the size left.</summary>
    private long Match<TSink>(in NewOrder order, Ladder opposite, ref TSink sink, ref MatchTotals totals)
        where TSink : struct, IFillSink
    {
        var takerId = order.OrderId;
        var takerAccount = order.Account;
        var takerIsBuy = order.IsBuy;
        var limit = order.Price;
        var remaining = order.Size;
        var orders = _orders;
        var levels = _levels;

        while (opposite.Count > 0)
        {
            var levelIndex = opposite.LevelIndex[opposite.Count - 1];
            ref var level = ref levels[levelIndex];
            if (!OrderRules.Crosses(takerIsBuy, limit, level.Price))
            {
                break;
            }
            // Every order taken here is the level's head: it is removed or the taker is done.
            var slot = level.Head;
            while (slot != None)
            {
                ref var maker = ref orders[slot];
                var next = maker.Next;
                if (maker.Account == takerAccount)
                {
                    // Self-trade prevention: cancel the resting order, keep matching (see IOrderBook).
                    var cancelled = new RestingOrder(maker.OrderId, maker.Account, maker.IsBuy, maker.Price, maker.Size);
                    level.TotalSize -= maker.Size;
                    RemoveHead(ref level, next);
                    _slotByOrderId.Remove(maker.OrderId);
                    FreeOrder(slot);
                    totals.SelfTradeCancels++;
                    totals.SelfTradeCancelledSize += cancelled.Size;
                    sink.OnSelfTradeCancel(cancelled, takerId);
                }
                else
                {
                    var traded = Math.Min(remaining, maker.Size);
                    maker.Size -= traded;
                    level.TotalSize -= traded;
                    remaining -= traded;
                    totals.Fills++;
                    var fill = new Fill(maker.OrderId, maker.Account, takerId, takerAccount, takerIsBuy, level.Price, traded, maker.Size);
                    if (maker.Size == 0)
                    {
                        RemoveHead(ref level, next);
                        _slotByOrderId.Remove(maker.OrderId);
                        FreeOrder(slot);
                    }
                    sink.OnFill(fill);
                    if (remaining == 0)
                    {
                        break;
                    }
                }
                slot = next;
            }
            if (level.OrderCount == 0)
            {
                opposite.Count--;
                FreeLevel(levelIndex);
            }
            if (remaining == 0)
            {
                break;
            }
        }
        return remaining;
    }

    private bool FillableFromOtherAccounts(in NewOrder order, Ladder opposite)
    {
        var needed = order.Size;
        for (var i = opposite.Count - 1; i >= 0; i--)
        {
            ref var level = ref _levels[opposite.LevelIndex[i]];
            if (!OrderRules.Crosses(order.IsBuy, order.Price, level.Price))
            {
                return false;
            }
            for (var slot = level.Head; slot != None; slot = _orders[slot].Next)
            {
                ref var o = ref _orders[slot];
                if (o.Account != order.Account)
                {
                    needed -= o.Size;
                    if (needed <= 0)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /// <summary>Adds an order at <paramref name="position"/> of <paramref name="own"/> (as <see cref="Ladder.Find"/> gave it).</summary>
    private void Rest(Ladder own, int position, ulong orderId, uint account, bool isBuy, long price, long size)
    {
        int levelIndex;
        if (position >= 0)
        {
            levelIndex = own.LevelIndex[position];
        }
        else
        {
            levelIndex = AllocateLevel(price);
            own.InsertAt(~position, own.KeyOf(price), levelIndex);
        }
        var slot = AllocateOrder();
        ref var order = ref _orders[slot];
        order.OrderId = orderId;
        order.Account = account;
        order.IsBuy = isBuy;
        order.Price = price;
        order.Size = size;
        order.Level = levelIndex;

        ref var level = ref _levels[levelIndex];
        // Within a price, orders go by id (time). A new order has the largest id so far and goes last;
        // only a restore out of id order walks back.
        var after = level.Tail;
        while (after != None && _orders[after].OrderId > orderId)
        {
            after = _orders[after].Prev;
        }
        var before = after == None ? level.Head : _orders[after].Next;
        order.Prev = after;
        order.Next = before;
        if (after == None)
        {
            level.Head = slot;
        }
        else
        {
            _orders[after].Next = slot;
        }
        if (before == None)
        {
            level.Tail = slot;
        }
        else
        {
            _orders[before].Prev = slot;
        }
        level.OrderCount++;
        level.TotalSize += size;
        _orderCount++;
        _slotByOrderId.Add(orderId, slot);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RemoveHead(ref Level level, int next)
    {
        level.Head = next;
        if (next == None)
        {
            level.Tail = None;
        }
        else
        {
            _orders[next].Prev = None;
        }
        level.OrderCount--;
    }

    private void Unlink(ref Level level, ref OrderSlot order)
    {
        if (order.Prev == None)
        {
            level.Head = order.Next;
        }
        else
        {
            _orders[order.Prev].Next = order.Next;
        }
        if (order.Next == None)
        {
            level.Tail = order.Prev;
        }
        else
        {
            _orders[order.Next].Prev = order.Prev;
        }
        level.OrderCount--;
        level.TotalSize -= order.Size;
    }

    private int AllocateOrder()
    {
        int slot;
        if (_freeOrder != None)
        {
            slot = _freeOrder;
            _freeOrder = _orders[slot].Next;
        }
        else
        {
            if (_ordersUsed == _orders.Length)
            {
                Array.Resize(ref _orders, _orders.Length * 2);
            }
            slot = _ordersUsed++;
        }
        return slot;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FreeOrder(int slot)
    {
        _orders[slot].Next = _freeOrder;
        _freeOrder = slot;
        _orderCount--;
    }

    private int AllocateLevel(long price)
    {
        int index;
        if (_freeLevel != None)
        {
            index = _freeLevel;
            _freeLevel = _levels[index].Head;
        }
        else
        {
            if (_levelsUsed == _levels.Length)
            {
                Array.Resize(ref _levels, _levels.Length * 2);
            }
            index = _levelsUsed++;
        }
        _levels[index] = new Level { Price = price, TotalSize = 0, OrderCount = 0, Head = None, Tail = None };
        return index;
    }

    private void FreeLevel(int index)
    {
        _levels[index].Head = _freeLevel;
        _freeLevel = index;
    }

    private Ladder LadderOf(BookSide side) => side == BookSide.Bid ? _bids : _asks;

    private bool TryGetBest(Ladder ladder, out long price)
    {
        if (ladder.Count == 0)
        {
            price = 0;
            return false;
        }
        price = _levels[ladder.LevelIndex[ladder.Count - 1]].Price;
        return true;
    }
}
