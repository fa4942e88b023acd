using Rollup.Primitives;

namespace Rollup.Execution.State.Ordered;

/// <summary>
/// A subtree of an ordered tree as its parent sees it: its hash, the number of leaves below it and the sum of
/// their sizes. The empty tree is all zero.
/// </summary>
public readonly record struct OrderedNode(Hash256 Hash, uint Count, ulong Size)
{
    public static OrderedNode Empty => default;

    public bool IsEmpty => Count == 0;

    public static OrderedNode Leaf(in Hash256 key, in Hash256 valueHash, ulong size) =>
        new(OrderedHashing.Leaf(key, valueHash, size), 1, size);

    /// <summary>The inner node that splits its leaves on <paramref name="bit"/>: 0 to the left, 1 to the right.</summary>
    /// <exception cref="OverflowException">The count or the size does not fit its width.</exception>
    public static OrderedNode Inner(byte bit, in OrderedNode left, in OrderedNode right)
    {
        var count = checked(left.Count + right.Count);
        var size = checked(left.Size + right.Size);
        return new OrderedNode(OrderedHashing.Inner(bit, left.Hash, right.Hash, count, size), count, size);
    }
}
