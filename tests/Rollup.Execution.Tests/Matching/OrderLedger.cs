using Rollup.Execution.Matching;
using Rollup.Execution.Transactions;

namespace Rollup.Execution.Tests.Matching;

/// <summary>
/// Applies commands to a book and checks what each one reports against an independent account of every
/// order: each order's size is always what traded, plus what was cancelled (or reduced away), plus what
/// still rests; fills happen at the maker's price, within the taker's limit, best price first, never
/// between one account's orders; and the totals in a result add up to its events.
/// </summary>
internal sealed class OrderLedger(IOrderBook book)
{
    private sealed class Entry(NewOrder order)
    {
        public NewOrder Order { get; } = order;
        public long Filled { get; set; }
        public long Cancelled { get; set; }
    }

    private readonly Dictionary<ulong, Entry> _orders = [];

    public int Fills { get; private set; }

    public int SelfTradeCancels { get; private set; }

    public CommandOutcome Apply(in OrderBookCommand command)
    {
        var id = command.Order.OrderId;
        var wasResting = book.TryGet(id, out var before);
        var outcome = book.Apply(command);
        switch (command.Kind)
        {
            case OrderBookCommandKind.Place:
                CheckPlace(command.Order, outcome, wasResting);
                break;
            case OrderBookCommandKind.Cancel:
                Assert.Equal(wasResting, outcome.Succeeded);
                Assert.False(book.TryGet(id, out _));
                if (outcome.Succeeded)
                {
                    Assert.Equal(before, outcome.Order);
                    _orders[id].Cancelled += before.Size;
                    AssertConserved(_orders[id]);
                }
                break;
            case OrderBookCommandKind.ReduceSize:
                var newSize = command.Order.Size;
                Assert.Equal(wasResting && newSize < before.Size, outcome.Succeeded);
                if (outcome.Succeeded)
                {
                    Assert.Equal(before with { Size = newSize }, outcome.Order);
                    _orders[id].Cancelled += before.Size - newSize;
                    AssertConserved(_orders[id]);
                }
                break;
        }
        return outcome;
    }

    public void AssertAllConserved()
    {
        foreach (var entry in _orders.Values)
        {
            AssertConserved(entry);
        }
    }

    private void CheckPlace(in NewOrder order, CommandOutcome outcome, bool idWasResting)
    {
        var result = outcome.Result;
        Assert.Equal(order.Size, result.FilledSize + result.RestingSize + result.CancelledSize);
        if (result.IsRejected)
        {
            Assert.Empty(outcome.Events);
            Assert.Equal((0L, 0L), (result.FilledSize, result.RestingSize));
            Assert.Equal(idWasResting, result.Status == PlaceStatus.RejectedDuplicateId);
            return;
        }
        Assert.False(idWasResting);

        if (_orders.TryGetValue(order.OrderId, out var previous))
        {
            // An id is only taken again once its order is gone (the flow reuses the last id sometimes).
            Assert.Equal(previous.Order.Size, previous.Filled + previous.Cancelled);
        }
        var taker = new Entry(order) { Filled = result.FilledSize, Cancelled = result.CancelledSize };
        _orders[order.OrderId] = taker;
        long filled = 0, selfTradeCancelledSize = 0;
        int fills = 0, selfTradeCancels = 0;
        var lastPrice = order.IsBuy ? long.MinValue : long.MaxValue;
        foreach (var e in outcome.Events)
        {
            long price;
            if (e is FillEvent { Fill: var fill })
            {
                var maker = _orders[fill.MakerOrderId];
                Assert.Equal((maker.Order.Account, order.OrderId, order.Account, order.IsBuy), (fill.MakerAccount, fill.TakerOrderId, fill.TakerAccount, fill.TakerIsBuy));
                Assert.NotEqual(order.Account, fill.MakerAccount);
                Assert.NotEqual(order.IsBuy, maker.Order.IsBuy);
                Assert.Equal(maker.Order.Price, fill.Price);
                Assert.True(fill.Size > 0);
                maker.Filled += fill.Size;
                Assert.Equal(maker.Order.Size - maker.Filled - maker.Cancelled, fill.MakerRemainingSize);
                AssertConserved(maker);
                filled += fill.Size;
                fills++;
                price = fill.Price;
            }
            else
            {
                var (cancelled, takerOrderId) = (SelfTradeCancelEvent)e;
                var maker = _orders[cancelled.OrderId];
                Assert.Equal(order.OrderId, takerOrderId);
                Assert.Equal(order.Account, cancelled.Account);
                Assert.Equal(maker.Order.Price, cancelled.Price);
                maker.Cancelled += cancelled.Size;
                AssertConserved(maker);
                selfTradeCancels++;
                selfTradeCancelledSize += cancelled.Size;
                price = cancelled.Price;
            }
            Assert.True(OrderRules.Crosses(order.IsBuy, order.Price, price), "traded beyond the taker's limit");
            Assert.True(order.IsBuy ? price >= lastPrice : price <= lastPrice, "a worse price was taken before a better one");
            lastPrice = price;
        }
        Assert.Equal((result.FilledSize, result.FillCount), (filled, fills));
        Assert.Equal((result.SelfTradeCancelCount, result.SelfTradeCancelledSize), (selfTradeCancels, selfTradeCancelledSize));
        Fills += fills;
        SelfTradeCancels += selfTradeCancels;
        AssertConserved(taker);
        AssertStatus(order, result);
    }

    private static void AssertStatus(in NewOrder order, PlaceResult result)
    {
        var mayRest = order.Kind == OrderKind.Limit && order.TimeInForce is TimeInForce.Gtc or TimeInForce.PostOnly;
        Assert.True(mayRest ? result.CancelledSize == 0 : result.RestingSize == 0);
        var expected = (result.FilledSize, result.RestingSize) switch
        {
            var (f, _) when f == order.Size => PlaceStatus.Filled,
            (0, > 0) => PlaceStatus.Rested,
            (> 0, > 0) => PlaceStatus.PartiallyFilledRested,
            (> 0, 0) => PlaceStatus.PartiallyFilledCancelled,
            _ => PlaceStatus.Cancelled,
        };
        Assert.Equal(expected, result.Status);
        if (order.TimeInForce == TimeInForce.Fok)
        {
            Assert.Equal(PlaceStatus.Filled, result.Status);
        }
        if (order.TimeInForce == TimeInForce.PostOnly)
        {
            Assert.Equal(0, result.FilledSize);
        }
    }

    private void AssertConserved(Entry entry)
    {
        var resting = book.TryGet(entry.Order.OrderId, out var order) ? order.Size : 0;
        Assert.Equal(entry.Order.Size, entry.Filled + entry.Cancelled + resting);
    }
}
