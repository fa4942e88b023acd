using Rollup.Execution.Matching;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Tests.Matching;

/// <summary>Something a placement did to another order, in the order it was reported.</summary>
internal abstract record BookEvent;

internal sealed record FillEvent(Fill Fill) : BookEvent;

internal sealed record SelfTradeCancelEvent(RestingOrder Cancelled, ulong TakerOrderId) : BookEvent;

/// <summary>Records every callback into a list (tests only; it allocates).</summary>
internal struct RecordingSink(List<BookEvent> events) : IFillSink
{
    public readonly List<BookEvent> Events = events;

    public readonly void OnFill(in Fill fill) => Events.Add(new FillEvent(fill));

    public readonly void OnSelfTradeCancel(in RestingOrder cancelled, ulong takerOrderId) =>
        Events.Add(new SelfTradeCancelEvent(cancelled, takerOrderId));
}

internal struct CollectingVisitor(List<RestingOrder> orders) : IOrderVisitor
{
    public readonly bool Visit(in RestingOrder order)
    {
        orders.Add(order);
        return true;
    }
}

/// <summary>What one command did: the place result or the cancel/reduce outcome, and the events.</summary>
internal sealed record CommandOutcome(PlaceResult Result, bool Succeeded, RestingOrder Order, IReadOnlyList<BookEvent> Events)
{
    public bool Equals(CommandOutcome? other) =>
        other is not null
        && Result == other.Result
        && Succeeded == other.Succeeded
        && Order == other.Order
        && Events.SequenceEqual(other.Events);

    public override int GetHashCode() => HashCode.Combine(Result, Succeeded, Order, Events.Count);
}

internal static class BookTesting
{
    public static readonly OrderBookLimits Roomy = new(100_000, 10_000);

    public static NewOrder Limit(ulong id, uint account, bool isBuy, long price, long size, TimeInForce timeInForce = TimeInForce.Gtc) =>
        new(id, account, isBuy, price, size, OrderKind.Limit, timeInForce);

    public static NewOrder Market(ulong id, uint account, bool isBuy, long priceLimit, long size, TimeInForce timeInForce = TimeInForce.Ioc) =>
        new(id, account, isBuy, priceLimit, size, OrderKind.Market, timeInForce);

    public static (PlaceResult Result, List<BookEvent> Events) Place(this IOrderBook book, NewOrder order)
    {
        var sink = new RecordingSink([]);
        var result = book.Place(order, ref sink);
        return (result, sink.Events);
    }

    public static CommandOutcome Apply(this IOrderBook book, in OrderBookCommand command)
    {
        switch (command.Kind)
        {
            case OrderBookCommandKind.Place:
                var (result, events) = book.Place(command.Order);
                return new CommandOutcome(result, !result.IsRejected, default, events);
            case OrderBookCommandKind.Cancel:
                var cancelled = book.Cancel(command.Order.OrderId, out var order);
                return new CommandOutcome(default, cancelled, order, []);
            case OrderBookCommandKind.ReduceSize:
                var reduced = book.TryReduceSize(command.Order.OrderId, command.Order.Size, out var after);
                return new CommandOutcome(default, reduced, after, []);
            default:
                throw new ArgumentOutOfRangeException(nameof(command));
        }
    }

    public static List<RestingOrder> Orders(this IOrderBook book, BookSide side)
    {
        var orders = new List<RestingOrder>();
        var visitor = new CollectingVisitor(orders);
        book.ForEachOrder(side, ref visitor);
        return orders;
    }

    public static List<RestingOrder> AllOrders(this IOrderBook book) => [.. book.Orders(BookSide.Bid), .. book.Orders(BookSide.Ask)];

    public static BookLevel[] Levels(this IOrderBook book, BookSide side, int max = 100_000)
    {
        var levels = new BookLevel[Math.Min(max, book.LevelCount(side) + 1)];
        var written = book.GetLevels(side, levels);
        return levels[..written];
    }

    /// <summary>The book's structure: sorted, never crossed, positive sizes, consistent counts and levels.</summary>
    public static void AssertInvariants(IOrderBook book)
    {
        var bids = book.Orders(BookSide.Bid);
        var asks = book.Orders(BookSide.Ask);
        AssertSide(book, BookSide.Bid, bids);
        AssertSide(book, BookSide.Ask, asks);
        Assert.Equal(bids.Count + asks.Count, book.OrderCount);
        Assert.True(book.OrderCount <= book.Limits.MaxOrders);
        Assert.Equal(bids.Count > 0, book.TryGetBestBid(out var bestBid));
        Assert.Equal(asks.Count > 0, book.TryGetBestAsk(out var bestAsk));
        if (bids.Count > 0)
        {
            Assert.Equal(bids[0].Price, bestBid);
        }
        if (asks.Count > 0)
        {
            Assert.Equal(asks[0].Price, bestAsk);
        }
        if (bids.Count > 0 && asks.Count > 0)
        {
            Assert.True(bestBid < bestAsk, $"crossed book: bid {bestBid} >= ask {bestAsk}");
        }
    }

    private static void AssertSide(IOrderBook book, BookSide side, List<RestingOrder> orders)
    {
        var expectedLevels = new List<BookLevel>();
        for (var i = 0; i < orders.Count; i++)
        {
            var order = orders[i];
            Assert.Equal(side, order.Side);
            Assert.True(order.Size > 0);
            Assert.True(order.Price > 0);
            Assert.True(book.TryGet(order.OrderId, out var found));
            Assert.Equal(order, found);
            if (i > 0)
            {
                var previous = orders[i - 1];
                var better = side == BookSide.Bid ? previous.Price > order.Price : previous.Price < order.Price;
                Assert.True(better || (previous.Price == order.Price && previous.OrderId < order.OrderId), $"priority broken at {order}");
            }
            if (expectedLevels.Count > 0 && expectedLevels[^1].Price == order.Price)
            {
                var last = expectedLevels[^1];
                expectedLevels[^1] = last with { TotalSize = last.TotalSize + order.Size, OrderCount = last.OrderCount + 1 };
            }
            else
            {
                expectedLevels.Add(new BookLevel(order.Price, order.Size, 1));
            }
        }
        Assert.Equal(expectedLevels.Count, book.LevelCount(side));
        Assert.True(book.LevelCount(side) <= book.Limits.MaxLevelsPerSide);
        Assert.Equal(expectedLevels, book.Levels(side));
    }
}
