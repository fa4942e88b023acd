using Rollup.Execution.Markets;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
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
/// its resting orders), its book per side and its liquidation order per side, built from the market as it stands.
/// The step function and its trace read and write these; the engine does not hold them yet.
/// </summary>
public sealed class MarketDomainTrees
{
    private MarketDomainTrees(Hash256 record, SparseMerkleTree positions)
    {
        Record = record;
        Positions = positions;
    }

    public Hash256 Record { get; }

    public SparseMerkleTree Positions { get; }

    public OrderedMerkleTree Bids { get; } = new();

    public OrderedMerkleTree Asks { get; } = new();

    public OrderedMerkleTree Longs { get; } = new();

    public OrderedMerkleTree Shorts { get; } = new();

    public MarketDomainRoots Roots => new(Record, Positions.Root, Bids.Root, Asks.Root, Longs.Root, Shorts.Root);

    public static MarketDomainTrees Of(Market market)
    {
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

        var leaves = new List<MerkleUpdate>(market.PositionCount);
        foreach (var position in market.PositionsByIndex)
        {
            if (position.IsEmpty)
            {
                continue;
            }
            var listed = byAccount.TryGetValue(position.Account, out var own) ? own : [];
            listed.Sort(static (a, b) => a.OrderId.CompareTo(b.OrderId));
            var leaf = MarketLeaves.Position(position.Size, position.Collateral, position.SettledFundingIndex, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(listed));
            leaves.Add(new MerkleUpdate(MarketLeaves.PositionKey(position.Account), Keccak256.Compute(leaf)));
        }
        var trees = new MarketDomainTrees(Keccak256.Compute(StateRecords.EncodeMarket(market.Snapshot())), SparseMerkleTree.InMemory(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(leaves)));

        foreach (var order in orders)
        {
            (order.IsBuy ? trees.Bids : trees.Asks).Set(MarketLeaves.BookKey(order.IsBuy, order.Price, order.OrderId), MarketLeaves.BookValue(order.Account, order.ReduceOnly), (ulong)order.RemainingSize);
        }
        foreach (var position in market.PositionsByIndex)
        {
            if (position.Size == 0 || position.Account == Address.Zero)
            {
                continue;
            }
            var risk = RiskKey.Of(position.Size, position.Collateral, position.SettledFundingIndex, position.Account);
            (position.Size > 0 ? trees.Longs : trees.Shorts).Set(MarketLeaves.RiskLeafKey(risk), Hash256.Zero, (ulong)Math.Abs(position.Size));
        }
        return trees;
    }
}
