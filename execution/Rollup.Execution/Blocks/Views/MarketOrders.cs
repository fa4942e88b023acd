using Rollup.Execution.Markets;
using Rollup.Execution.Matching;
using Rollup.Primitives;

namespace Rollup.Execution.Blocks.Views;

/// <summary>
/// A market's resting orders as of one committed view, read from its records once and shared by every reader of the
/// view: in priority order (bids best first, then asks; at a price, oldest first), by account, and as price levels.
/// </summary>
internal sealed class MarketOrders
{
    private static readonly List<OrderView> None = [];

    private readonly Dictionary<Address, List<OrderView>> _byAccount = [];

    public MarketOrders(List<OrderView> orders)
    {
        orders.Sort(static (a, b) => a.IsBuy != b.IsBuy ? (a.IsBuy ? -1 : 1)
            : a.Price != b.Price ? (a.IsBuy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price))
            : a.OrderId.CompareTo(b.OrderId));
        All = orders;
        foreach (var order in orders)
        {
            if (!_byAccount.TryGetValue(order.Account, out var own))
            {
                _byAccount[order.Account] = own = [];
            }
            own.Add(order);
            var side = order.IsBuy ? Bids : Asks;
            if (side.Count > 0 && side[^1].Price == order.Price)
            {
                var level = side[^1];
                side[^1] = level with { TotalSize = level.TotalSize + order.RemainingSize, OrderCount = level.OrderCount + 1 };
            }
            else
            {
                side.Add(new BookLevel(order.Price, order.RemainingSize, 1));
            }
        }
    }

    public List<OrderView> All { get; }

    public List<BookLevel> Bids { get; } = [];

    public List<BookLevel> Asks { get; } = [];

    public List<OrderView> Of(in Address account) => _byAccount.TryGetValue(account, out var own) ? own : None;
}
