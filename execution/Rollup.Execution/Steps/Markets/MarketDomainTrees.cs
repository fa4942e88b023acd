using Rollup.Execution.Markets;
using Rollup.Execution.Matching;
using Rollup.Execution.State;
using Rollup.Execution.State.Ordered;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps.Markets;

/// <summary>The persistent roots of a market domain (docs/steps.md, "Its step state").</summary>
public readonly record struct MarketDomainRoots(Hash256 Record, Hash256 Positions, OrderedNode Bids, OrderedNode Asks, OrderedNode Longs, OrderedNode Shorts)
{
    /// <summary>keccak256(record ‖ positions ‖ bids ‖ asks ‖ longs ‖ shorts): the market's root in the provable layout.</summary>
    public Hash256 MarketRoot
    {
        get
        {
            Span<byte> words = stackalloc byte[6 * Hash256.Length];
            Record.CopyTo(words);
            Positions.CopyTo(words[32..]);
            Bids.Hash.CopyTo(words[64..]);
            Asks.Hash.CopyTo(words[96..]);
            Longs.Hash.CopyTo(words[128..]);
            Shorts.Hash.CopyTo(words[160..]);
            return Keccak256.Compute(words);
        }
    }
}

/// <summary>
/// A market's state in the provable layout of docs/steps.md ("Its leaves"): its record, its positions (each listing
/// its resting orders), its book per side and its liquidation order per side, every tree an ordered tree holding its
/// records. Built from the engine's market as it stands (<see cref="Of"/>), or worked on step by step by a trace.
/// </summary>
public sealed class MarketDomainTrees
{
    public byte[] Record { get; set; } = [];

    public OrderedRecordTree Positions { get; private init; } = new();

    public OrderedRecordTree Bids { get; private init; } = new();

    public OrderedRecordTree Asks { get; private init; } = new();

    public OrderedRecordTree Longs { get; private init; } = new();

    public OrderedRecordTree Shorts { get; private init; } = new();

    public MarketDomainRoots Roots => new(MarketState.HashOf(Record), Positions.Root.Hash, Bids.Root, Asks.Root, Longs.Root, Shorts.Root);

    public OrderedRecordTree Tree(MarketTree tree) => tree switch
    {
        MarketTree.Positions => Positions,
        MarketTree.Bids => Bids,
        MarketTree.Asks => Asks,
        MarketTree.Longs => Longs,
        _ => Shorts,
    };

    public MarketDomainTrees Clone() => new()
    {
        Record = Record,
        Positions = Positions.Clone(),
        Bids = Bids.Clone(),
        Asks = Asks.Clone(),
        Longs = Longs.Clone(),
        Shorts = Shorts.Clone(),
    };

    public static MarketDomainTrees Of(Market market)
    {
        ArgumentNullException.ThrowIfNull(market);
        var orders = market.Orders();
        var byAccount = new Dictionary<Address, List<ListedOrder>>();
        foreach (var order in orders)
        {
            if (!byAccount.TryGetValue(order.Account, out var listed))
            {
                byAccount.Add(order.Account, listed = []);
            }
            listed.Add(new ListedOrder(order.OrderId, order.IsBuy, order.Price, order.RemainingSize, order.ClientOrderId, order.ReduceOnly));
        }

        var trees = new MarketDomainTrees
        {
            Record = new MarketRecord(market.Snapshot(), (uint)market.Book.LevelCount(BookSide.Bid), (uint)market.Book.LevelCount(BookSide.Ask)).Encode(),
        };
        foreach (var position in market.PositionsByIndex)
        {
            var leaf = new PositionLeaf { Size = position.Size, Collateral = position.Collateral, SettledFundingIndex = position.SettledFundingIndex };
            if (byAccount.TryGetValue(position.Account, out var own))
            {
                own.Sort(static (a, b) => a.OrderId.CompareTo(b.OrderId));
                leaf.Orders.AddRange(own);
            }
            if (leaf.IsEmpty)
            {
                continue;
            }
            trees.Positions.Set(MarketLeaves.PositionKey(position.Account), leaf.Encode(), 0);
            if (position.Size != 0 && position.Account != Address.Zero)
            {
                var risk = RiskKey.Of(position.Size, position.Collateral, position.SettledFundingIndex, position.Account);
                (position.Size > 0 ? trees.Longs : trees.Shorts).Set(MarketLeaves.RiskLeafKey(risk), [], (ulong)Math.Abs(position.Size));
            }
        }
        foreach (var order in orders)
        {
            (order.IsBuy ? trees.Bids : trees.Asks).Set(MarketLeaves.BookKey(order.IsBuy, order.Price, order.OrderId), MarketLeaves.BookRecord(order.Account, order.ReduceOnly), (ulong)order.RemainingSize);
        }
        return trees;
    }
}
