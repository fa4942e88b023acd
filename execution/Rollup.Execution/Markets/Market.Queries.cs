using Rollup.Execution.Matching;
using Rollup.Primitives;

namespace Rollup.Execution.Markets;

/// <summary>A resting order as queries show it.</summary>
public readonly record struct OrderView(ulong OrderId, Address Account, bool IsBuy, long Price, long RemainingSize, ulong ClientOrderId, bool ReduceOnly);

public sealed partial class Market
{
    /// <summary>The best <c>destination.Length</c> aggregated levels of one side, best first.</summary>
    public int GetLevels(BookSide side, Span<BookLevel> destination) => Book.GetLevels(side, destination);

    public bool TryGetBestBid(out long price) => Book.TryGetBestBid(out price);

    public bool TryGetBestAsk(out long price) => Book.TryGetBestAsk(out price);

    public bool TryGetOrder(ulong orderId, out OrderView order)
    {
        if (!Book.TryGet(orderId, out var resting))
        {
            order = default;
            return false;
        }
        order = View(resting);
        return true;
    }

    public bool TryGetOrderByClientId(in Address account, ulong clientOrderId, out OrderView order)
    {
        order = default;
        return _positions.TryGetValue(account, out var owner)
            && _clientOrderIds.TryGetValue((owner.Index, clientOrderId), out var orderId)
            && TryGetOrder(orderId, out order);
    }

    /// <summary>Resting orders in priority order: of one account, or all (up to <paramref name="limit"/> per side).</summary>
    public List<OrderView> Orders(Address? account = null, int limit = int.MaxValue)
    {
        var visitor = new Collector(this, account is { } a && _positions.TryGetValue(a, out var owner) ? owner.Index : account is null ? null : uint.MaxValue, limit);
        Book.ForEachOrder(BookSide.Bid, ref visitor);
        visitor.Count = 0;
        Book.ForEachOrder(BookSide.Ask, ref visitor);
        return visitor.Orders;
    }

    /// <summary>Open orders of an account in this market.</summary>
    public int OpenOrderCount(in Address account) => _positions.TryGetValue(account, out var position) ? position.OpenOrders : 0;

    /// <summary>Equity of an account's position at the mark, funding owed counted.</summary>
    public long Equity(in Address account) =>
        _positions.TryGetValue(account, out var position) ? EquityAt(position, MarkPrice == 0 ? OraclePrice : MarkPrice) : 0;

    private OrderView View(in RestingOrder resting)
    {
        _orders.TryGetValue(resting.OrderId, out var info);
        return new OrderView(resting.OrderId, _positionsByIndex[(int)resting.Account].Account, resting.IsBuy, resting.Price, resting.Size, info.ClientOrderId, info.ReduceOnly);
    }

    private struct Collector(Market market, uint? account, int limit) : IOrderVisitor
    {
        public List<OrderView> Orders { get; } = [];

        public int Count { get; set; }

        public bool Visit(in RestingOrder order)
        {
            if (account is { } wanted && order.Account != wanted)
            {
                return true;
            }
            Orders.Add(market.View(order));
            return ++Count < limit;
        }
    }
}
