using System.Diagnostics.CodeAnalysis;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;

namespace Rollup.Execution.State.Ordered;

/// <summary>
/// A path of an ordered tree (the rules: <see cref="OrderedMerkleTree"/>): the siblings from the root down, the leaf
/// that ends the path (null: it ends in nothing) and, when the deepest sibling is a lone leaf, that leaf's key and
/// value hash (zero otherwise), which a delete needs to move it up. Every check here is the same, by name, in
/// OrderedTree.sol; a malformed proof throws <see cref="InvalidOrderedProofException"/>.
/// </summary>
public sealed record OrderedMerkleProof(
    IReadOnlyList<OrderedNode> Siblings,
    OrderedLeaf? Leaf,
    Hash256 DeepestSiblingKey,
    Hash256 DeepestSiblingValueHash)
{
    public const int MaxDepth = 256;

    public int Depth => Siblings.Count;

    /// <summary>Whether the path ends in <paramref name="key"/>'s own leaf: the proof says the key is present.</summary>
    public bool EndsInLeafOf(in Hash256 key) => Leaf is { } leaf && leaf.Key == key;

    /// <summary>The root this proof leads to, with <paramref name="key"/> as the proof has it (present or absent).</summary>
    public OrderedNode ComputeRoot(in Hash256 key) => Fold(key, Depth, End(key));

    public bool VerifyPresent(in Hash256 root, in Hash256 key, in Hash256 valueHash, ulong size) =>
        Leaf is { } leaf && leaf.Key == key && leaf.ValueHash == valueHash && leaf.Size == size && ComputeRoot(key).Hash == root;

    public bool VerifyAbsent(in Hash256 root, in Hash256 key) => !EndsInLeafOf(key) && ComputeRoot(key).Hash == root;

    /// <summary>The root once <paramref name="key"/> holds (<paramref name="valueHash"/>, <paramref name="size"/>), inserted or updated.</summary>
    public OrderedNode ComputeRootAfterWrite(in Hash256 key, in Hash256 valueHash, ulong size)
    {
        var end = End(key);
        var node = OrderedNode.Leaf(key, valueHash, size);
        if (Leaf is { } other && other.Key != key)
        {
            node = BesideOther(key, node, other.Key, end);
        }
        return Fold(key, Depth, node);
    }

    /// <summary>The root once <paramref name="key"/> is deleted; the proof must end in its leaf.</summary>
    public OrderedNode ComputeRootAfterDelete(in Hash256 key)
    {
        if (!EndsInLeafOf(key))
        {
            Throw(OrderedProofError.NotAnInclusionProof, key);
        }
        End(key);
        var depth = Depth;
        if (depth == 0)
        {
            return OrderedNode.Empty;
        }
        var deepest = Siblings[depth - 1];
        if (deepest.Count != 1)
        {
            return Fold(key, depth, OrderedNode.Empty);
        }
        if (OrderedHashing.Leaf(DeepestSiblingKey, DeepestSiblingValueHash, deepest.Size) != deepest.Hash)
        {
            Throw(OrderedProofError.DeepestSiblingLeafMismatch, key);
        }
        var top = depth - 1;
        while (top > 0 && Siblings[top - 1].IsEmpty)
        {
            top--;
        }
        return Fold(key, top, deepest);
    }

    /// <summary>The count and total size of the leaves whose keys are less than <paramref name="key"/>.</summary>
    public (uint Count, ulong Size) PrefixCountAndSize(in Hash256 key)
    {
        CheckDepth(key);
        ulong count = 0;
        UInt128 size = 0;
        for (var i = 0; i < Siblings.Count; i++)
        {
            if (MerkleHashing.Bit(key, i) == 1)
            {
                count += Siblings[i].Count;
                size += Siblings[i].Size;
            }
        }
        if (Leaf is { } leaf && leaf.Key < key)
        {
            count++;
            size += leaf.Size;
        }
        if (count > uint.MaxValue)
        {
            Throw(OrderedProofError.CountOverflow, key);
        }
        if (size > ulong.MaxValue)
        {
            Throw(OrderedProofError.SizeOverflow, key);
        }
        return ((uint)count, (ulong)size);
    }

    /// <summary>No leaf's key is less than <paramref name="key"/>.</summary>
    public bool IsLeftmost(in Hash256 key) => IsOutermost(key, side: 1) && !(Leaf is { } leaf && leaf.Key < key);

    /// <summary>No leaf's key is greater than <paramref name="key"/>.</summary>
    public bool IsRightmost(in Hash256 key) => IsOutermost(key, side: 0) && !(Leaf is { } leaf && leaf.Key > key);

    /// <summary>Every sibling at a depth where the key's bit is <paramref name="side"/> (the siblings on the other side) is empty.</summary>
    private bool IsOutermost(in Hash256 key, int side)
    {
        CheckDepth(key);
        for (var i = 0; i < Siblings.Count; i++)
        {
            if (MerkleHashing.Bit(key, i) == side && !Siblings[i].IsEmpty)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>What ends the path, once the proof's shape is checked.</summary>
    private OrderedNode End(in Hash256 key)
    {
        CheckDepth(key);
        var depth = Depth;
        if (Leaf is { } leaf)
        {
            if (leaf.Key != key && !MerklePath.SharePrefix(leaf.Key, key, depth))
            {
                Throw(OrderedProofError.LeafOffPath, key);
            }
            if (depth > 0 && Siblings[depth - 1].IsEmpty)
            {
                Throw(OrderedProofError.NonCanonicalEnd, key);
            }
            return leaf.Node;
        }
        if (depth > 0 && Siblings[depth - 1].Count < 2)
        {
            Throw(OrderedProofError.NonCanonicalEnd, key);
        }
        return OrderedNode.Empty;
    }

    /// <summary>
    /// The subtree at the path's end once <paramref name="key"/>'s leaf joins <paramref name="otherKey"/>'s there: an
    /// inner node at the first bit where the keys differ, wrapped with an empty sibling for each depth above it.
    /// </summary>
    private OrderedNode BesideOther(in Hash256 key, OrderedNode written, in Hash256 otherKey, in OrderedNode other)
    {
        var split = Depth;
        while (MerkleHashing.Bit(key, split) == MerkleHashing.Bit(otherKey, split))
        {
            split++;
        }
        var node = MerkleHashing.Bit(key, split) == 0 ? Join(key, written, other) : Join(key, other, written);
        for (var i = split - 1; i >= Depth; i--)
        {
            node = MerkleHashing.Bit(key, i) == 0 ? Join(key, node, OrderedNode.Empty) : Join(key, OrderedNode.Empty, node);
        }
        return node;
    }

    /// <summary>Folds <paramref name="node"/>, the path's node at depth <paramref name="levels"/>, up with siblings levels−1 to 0.</summary>
    private OrderedNode Fold(in Hash256 key, int levels, OrderedNode node)
    {
        for (var i = levels - 1; i >= 0; i--)
        {
            node = MerkleHashing.Bit(key, i) == 0 ? Join(key, node, Siblings[i]) : Join(key, Siblings[i], node);
        }
        return node;
    }

    private static OrderedNode Join(in Hash256 key, in OrderedNode left, in OrderedNode right)
    {
        var count = (ulong)left.Count + right.Count;
        if (count > uint.MaxValue)
        {
            Throw(OrderedProofError.CountOverflow, key);
        }
        var size = (UInt128)left.Size + right.Size;
        if (size > ulong.MaxValue)
        {
            Throw(OrderedProofError.SizeOverflow, key);
        }
        return new OrderedNode(OrderedHashing.Inner(left.Hash, right.Hash, (uint)count, (ulong)size), (uint)count, (ulong)size);
    }

    private void CheckDepth(in Hash256 key)
    {
        if (Depth > MaxDepth)
        {
            Throw(OrderedProofError.ProofTooDeep, key);
        }
    }

    [DoesNotReturn]
    private static void Throw(OrderedProofError error, in Hash256 key) => throw new InvalidOrderedProofException(error, key);
}
