using Rollup.Execution.Markets;
using Rollup.Execution.Matching;
using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// A market's provable layout (docs/steps.md, "Its trees and leaves") kept up to date by the engine block by block:
/// before a market's commit, the positions and orders it changed are written into its ordered trees, so the market's
/// provable roots after every block cost the changed records' paths, not a rebuild. Always equal to
/// <see cref="MarketDomainTrees.Of"/> of the market as it stands (the tests hold it to that after every block).
/// </summary>
public sealed class MarketLayout
{
    private readonly Dictionary<ulong, RestingEntry> _orders = [];
    private readonly Dictionary<Address, SortedSet<ulong>> _ordersOf = [];
    private readonly Dictionary<Address, (bool IsLong, RiskKey Key)> _risk = [];

    private MarketLayout(MarketDomainTrees trees) => Trees = trees;

    public MarketDomainTrees Trees { get; }

    public MarketDomainRoots Roots => Trees.Roots;

    /// <summary>The layout of a market as it stands: built whole (a market loaded, created, or restored after a fault).</summary>
    public static MarketLayout Of(Market market)
    {
        ArgumentNullException.ThrowIfNull(market);
        var layout = new MarketLayout(MarketDomainTrees.Of(market));
        foreach (var order in market.Orders())
        {
            layout.Track(order);
        }
        foreach (var position in market.PositionsByIndex)
        {
            if (position.Size != 0 && position.Account != Address.Zero)
            {
                layout._risk[position.Account] = (position.Size > 0, RiskKey.Of(position.Size, position.Collateral, position.SettledFundingIndex, position.Account));
            }
        }
        return layout;
    }

    /// <summary>Writes what the market changed since its last commit; called before the commit clears its dirty sets.</summary>
    internal void Apply(Market market)
    {
        foreach (var (orderId, _) in market.DirtyOrders)
        {
            if (_orders.Remove(orderId, out var old))
            {
                (old.IsBuy ? Trees.Bids : Trees.Asks).Remove(MarketLeaves.BookKey(old.IsBuy, old.Price, orderId));
                _ordersOf[old.Account].Remove(orderId);
            }
            if (market.TryGetOrder(orderId, out var order))
            {
                Track(order);
                Trees.Tree(order.IsBuy ? MarketTree.Bids : MarketTree.Asks).Set(MarketLeaves.BookKey(order.IsBuy, order.Price, orderId), MarketLeaves.BookRecord(order.Account, order.ReduceOnly), (ulong)order.RemainingSize);
            }
        }
        foreach (var account in market.DirtyPositions)
        {
            WritePosition(market, account);
        }
        var record = new MarketRecord(market.Snapshot(), (uint)market.Book.LevelCount(BookSide.Bid), (uint)market.Book.LevelCount(BookSide.Ask)).Encode();
        if (!record.AsSpan().SequenceEqual(Trees.Record))
        {
            Trees.Record = record;
        }
    }

    private void WritePosition(Market market, in Address account)
    {
        market.TryGetPosition(account, out PositionState position);
        var leaf = new PositionLeaf { Size = position.Size, Collateral = position.Collateral, SettledFundingIndex = position.SettledFundingIndex };
        if (_ordersOf.TryGetValue(account, out var ids))
        {
            foreach (var id in ids)
            {
                var order = _orders[id];
                leaf.Orders.Add(new ListedOrder(id, order.IsBuy, order.Price, order.Size, order.ClientOrderId, order.ReduceOnly));
            }
        }
        var key = MarketLeaves.PositionKey(account);
        if (leaf.IsEmpty)
        {
            if (Trees.Positions.TryGetRecord(key, out _))
            {
                Trees.Positions.Remove(key);
            }
        }
        else
        {
            Trees.Positions.Set(key, leaf.Encode(), 0);
        }

        (bool IsLong, RiskKey Key)? risk = position.Size == 0 || account == Address.Zero
            ? null
            : (position.Size > 0, RiskKey.Of(position.Size, position.Collateral, position.SettledFundingIndex, account));
        (bool IsLong, RiskKey Key)? old = _risk.TryGetValue(account, out var held) ? held : null;
        if (risk == old)
        {
            return;
        }
        if (old is { } was)
        {
            (was.IsLong ? Trees.Longs : Trees.Shorts).Remove(MarketLeaves.RiskLeafKey(was.Key));
            _risk.Remove(account);
        }
        if (risk is { } now)
        {
            (now.IsLong ? Trees.Longs : Trees.Shorts).Set(MarketLeaves.RiskLeafKey(now.Key), [], (ulong)Math.Abs(position.Size));
            _risk[account] = now;
        }
    }

    private void Track(in OrderView order)
    {
        _orders[order.OrderId] = new RestingEntry(order.Account, order.IsBuy, order.Price, order.RemainingSize, order.ClientOrderId, order.ReduceOnly);
        if (!_ordersOf.TryGetValue(order.Account, out var ids))
        {
            _ordersOf[order.Account] = ids = [];
        }
        ids.Add(order.OrderId);
    }

    private readonly record struct RestingEntry(Address Account, bool IsBuy, long Price, long Size, ulong ClientOrderId, bool ReduceOnly);
}
