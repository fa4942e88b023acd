using Rollup.Primitives;

namespace Rollup.Execution.State.Ordered;

/// <summary>One entry of an ordered tree: its raw key, the hash of its record and its size (e.g. an order's remaining size).</summary>
public readonly record struct OrderedLeaf(Hash256 Key, Hash256 ValueHash, ulong Size)
{
    public OrderedNode Node => OrderedNode.Leaf(Key, ValueHash, Size);
}
