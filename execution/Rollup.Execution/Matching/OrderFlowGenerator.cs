using Rollup.Execution.Transactions;

namespace Rollup.Execution.Matching;

internal enum OrderBookCommandKind : byte
{
    Place = 0,
    /// <summary>Cancel <c>Order.OrderId</c>.</summary>
    Cancel = 1,
    /// <summary>Reduce <c>Order.OrderId</c> to <c>Order.Size</c>.</summary>
    ReduceSize = 2,
}

/// <summary>One call on a book, for replaying the same flow into several books.</summary>
internal readonly record struct OrderBookCommand(OrderBookCommandKind Kind, NewOrder Order);

/// <summary>
/// Seeded, realistic order flow for tests and benchmarks: mostly passive limit orders and cancels near a
/// slowly drifting mid price, some orders that cross, some IOC, FOK, post-only and market orders, and a few
/// hundred accounts of which a handful of busy market makers send much of the flow, so self-trades happen.
/// It knows nothing of the book it feeds (it cannot: flows are generated ahead of time), so some cancels
/// name orders already filled, and a few orders reuse the previous id or are invalid, to exercise rejections.
/// The sequence depends only on the seed and settings: its random numbers are its own (SplitMix64).
/// </summary>
internal sealed class OrderFlowGenerator
{
    private const int MarketMakers = 8;

    private readonly int _accounts;
    private readonly int _targetLiveOrders;
    private ulong _state;
    private ulong _nextOrderId = 1;
    private long _mid;
    // Ids of orders that may still rest (the most recent last), cancel candidates.
    private ulong[] _live = new ulong[1024];
    private int _liveCount;

    public OrderFlowGenerator(ulong seed, int accounts = 300, long startPrice = 100_000, int targetLiveOrders = 2_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, MarketMakers + 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(startPrice, 1_000);
        _state = seed;
        _accounts = accounts;
        _mid = startPrice;
        _targetLiveOrders = targetLiveOrders;
    }

    public OrderBookCommand[] Generate(int count)
    {
        var commands = new OrderBookCommand[count];
        for (var i = 0; i < commands.Length; i++)
        {
            commands[i] = Next();
        }
        return commands;
    }

    public OrderBookCommand Next()
    {
        if (Below(64) == 0)
        {
            _mid = Math.Max(_mid + (long)Below(3) - 1, 1_000);
        }
        var roll = Below(1000);
        var cancelShare = _liveCount > _targetLiveOrders ? 480u : 330u;
        if (_liveCount > 0 && roll < cancelShare)
        {
            return new OrderBookCommand(OrderBookCommandKind.Cancel, new NewOrder(TakeLive(), 0, false, 1, 1));
        }
        if (_liveCount > 0 && roll < cancelShare + 20)
        {
            var target = _live[_liveCount - 1 - (int)Below((ulong)Math.Min(_liveCount, 64))];
            return new OrderBookCommand(OrderBookCommandKind.ReduceSize, new NewOrder(target, 0, false, 1, 1 + (long)Below(5)));
        }

        var isBuy = Below(2) == 0;
        var account = Below(10) < 3 ? (uint)Below(MarketMakers) : (uint)Below((ulong)_accounts);
        var size = Size();
        var kind = OrderKind.Limit;
        var timeInForce = TimeInForce.Gtc;
        long price;
        var style = Below(1000);
        if (style < 700)
        {
            price = Passive(isBuy);
        }
        else if (style < 800)
        {
            price = Aggressive(isBuy);
        }
        else if (style < 870)
        {
            price = Aggressive(isBuy);
            timeInForce = TimeInForce.Ioc;
        }
        else if (style < 910)
        {
            price = Aggressive(isBuy);
            timeInForce = TimeInForce.Fok;
        }
        else if (style < 960)
        {
            price = Below(4) == 0 ? Aggressive(isBuy) : Passive(isBuy);
            timeInForce = TimeInForce.PostOnly;
        }
        else if (style < 995)
        {
            kind = OrderKind.Market;
            timeInForce = Below(5) == 0 ? TimeInForce.Fok : TimeInForce.Ioc;
            price = isBuy ? _mid + 20 + (long)Below(200) : _mid - 20 - (long)Below(200);
        }
        else if (style < 998 && _nextOrderId > 1)
        {
            // The previous order's id again: refused if that order rests. If it is gone, the id is taken as
            // new; it is still the largest so far, so ids keep growing with time as the books assume.
            return new OrderBookCommand(OrderBookCommandKind.Place, new NewOrder(_nextOrderId - 1, account, isBuy, Passive(isBuy), size));
        }
        else
        {
            // Invalid: no price, no size, or a post-only market order.
            var flaw = Below(3);
            var invalid = new NewOrder(
                _nextOrderId++,
                account,
                isBuy,
                flaw == 0 ? 0 : _mid,
                flaw == 1 ? 0 : size,
                flaw == 2 ? OrderKind.Market : OrderKind.Limit,
                flaw == 2 ? TimeInForce.PostOnly : TimeInForce.Gtc);
            return new OrderBookCommand(OrderBookCommandKind.Place, invalid);
        }

        var order = new NewOrder(_nextOrderId++, account, isBuy, price, size, kind, timeInForce);
        if (kind == OrderKind.Limit && timeInForce is TimeInForce.Gtc or TimeInForce.PostOnly)
        {
            AddLive(order.OrderId);
        }
        return new OrderBookCommand(OrderBookCommandKind.Place, order);
    }

    /// <summary>Near the top of its own side: a tick or a few behind the mid, rarely deep.</summary>
    private long Passive(bool isBuy)
    {
        var depth = 1 + (long)Geometric();
        if (Below(50) == 0)
        {
            depth += (long)Below(500);
        }
        return isBuy ? _mid - depth : _mid + depth;
    }

    /// <summary>Through the mid into the other side by a few ticks.</summary>
    private long Aggressive(bool isBuy)
    {
        var depth = (long)Below(6);
        return isBuy ? _mid + depth : _mid - depth;
    }

    private long Size()
    {
        var roll = Below(100);
        if (roll < 70)
        {
            return 1 + (long)Below(10);
        }
        return roll < 95 ? 10 + (long)Below(90) : 100 + (long)Below(900);
    }

    /// <summary>0, 1, 2, ... with probability halving every two steps; at most 40.</summary>
    private ulong Geometric()
    {
        ulong n = 0;
        while (n < 40 && Below(100) < 70)
        {
            n++;
        }
        return n;
    }

    private void AddLive(ulong orderId)
    {
        if (_liveCount == _live.Length)
        {
            Array.Resize(ref _live, _live.Length * 2);
        }
        _live[_liveCount++] = orderId;
    }

    /// <summary>Most cancels hit recent orders (quotes being replaced), the rest any live one.</summary>
    private ulong TakeLive()
    {
        var index = Below(10) < 7
            ? _liveCount - 1 - (int)Below((ulong)Math.Min(_liveCount, 32))
            : (int)Below((ulong)_liveCount);
        var orderId = _live[index];
        // Keep the order of the rest (recency matters): shift the later ones down.
        Array.Copy(_live, index + 1, _live, index, _liveCount - index - 1);
        _liveCount--;
        return orderId;
    }

    private ulong Below(ulong bound) => NextRandom() % bound;

    private ulong NextRandom()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
