using System.Diagnostics.CodeAnalysis;
using Rollup.Primitives;

namespace Rollup.Execution.State.Ordered;

/// <summary>
/// A path of an ordered tree (the rules: <see cref="OrderedMerkleTree"/>): the inner nodes from the root down as steps
/// (the bit each splits on, its child off the path) and the leaf that ends the path (null only in the empty tree).
/// Every check here is the same, by name, in OrderedTree.sol; a malformed proof throws
/// <see cref="InvalidOrderedProofException"/>.
/// </summary>
public sealed record OrderedMerkleProof(IReadOnlyList<OrderedStep> Steps, OrderedLeaf? Leaf)
{
    public const int MaxDepth = 256;

    /// <summary>No bit is set on a key's path at or past this index: the split of a key with itself.</summary>
    private const int NoSplit = 256;

    public int Depth => Steps.Count;

    /// <summary>Whether the path ends in <paramref name="key"/>'s own leaf: the proof says the key is present.</summary>
    public bool EndsInLeafOf(in Hash256 key) => Leaf is { } leaf && leaf.Key == key;

    /// <summary>The root this proof leads to, with <paramref name="key"/> as the proof has it (present or absent).</summary>
    public OrderedNode ComputeRoot(in Hash256 key)
    {
        Check(key);
        return Fold(key, Depth, Leaf?.Node ?? OrderedNode.Empty);
    }

    public bool VerifyPresent(in Hash256 root, in Hash256 key, in Hash256 valueHash, ulong size) =>
        Leaf is { } leaf && leaf.Key == key && leaf.ValueHash == valueHash && leaf.Size == size && ComputeRoot(key).Hash == root;

    public bool VerifyAbsent(in Hash256 root, in Hash256 key) => !EndsInLeafOf(key) && ComputeRoot(key).Hash == root;

    /// <summary>The root once <paramref name="key"/> holds (<paramref name="valueHash"/>, <paramref name="size"/>), inserted or updated.</summary>
    public OrderedNode ComputeRootAfterWrite(in Hash256 key, in Hash256 valueHash, ulong size)
    {
        Check(key);
        var written = OrderedNode.Leaf(key, valueHash, size);
        if (Leaf is not { } end)
        {
            return written;
        }
        if (end.Key == key)
        {
            return Fold(key, Depth, written);
        }
        // The new leaf joins the path where its split bit falls among the steps' bits.
        var split = OrderedHashing.FirstDifferingBit(key, end.Key);
        var node = end.Node;
        var joined = false;
        for (var i = Depth - 1; i >= 0; i--)
        {
            var step = Steps[i];
            if (!joined && step.Bit < split)
            {
                node = Join(key, (byte)split, written, node);
                joined = true;
            }
            node = Join(key, step.Bit, node, step.Sibling);
        }
        return joined ? node : Join(key, (byte)split, written, node);
    }

    /// <summary>The root once <paramref name="key"/> is deleted; the proof must end in its leaf. Its sibling takes its parent's place.</summary>
    public OrderedNode ComputeRootAfterDelete(in Hash256 key)
    {
        if (!EndsInLeafOf(key))
        {
            Throw(OrderedProofError.NotAnInclusionProof, key);
        }
        Check(key);
        return Depth == 0 ? OrderedNode.Empty : Fold(key, Depth - 1, Steps[Depth - 1].Sibling);
    }

    /// <summary>The count and total size of the leaves whose keys are less than <paramref name="key"/>.</summary>
    public (uint Count, ulong Size) PrefixCountAndSize(in Hash256 key) => Around(key).Below;

    /// <summary>No leaf's key is less than <paramref name="key"/>.</summary>
    public bool IsLeftmost(in Hash256 key) => Around(key).Below.Count == 0;

    /// <summary>No leaf's key is greater than <paramref name="key"/>.</summary>
    public bool IsRightmost(in Hash256 key) => Around(key).Above.Count == 0;

    /// <summary>
    /// The count and size of the leaves below and above <paramref name="key"/>. Above the key's split bit with the
    /// leaf that ends the path, a sibling lies on the side its step's bit gives; below it, the whole subtree there
    /// lies on the leaf's side of the key.
    /// </summary>
    private ((uint Count, ulong Size) Below, (uint Count, ulong Size) Above) Around(in Hash256 key)
    {
        Check(key);
        if (Leaf is not { } end)
        {
            return default;
        }
        var split = end.Key == key ? NoSplit : OrderedHashing.FirstDifferingBit(key, end.Key);
        var endBelow = end.Key < key;
        ulong belowCount = 0, aboveCount = 0;
        UInt128 belowSize = 0, aboveSize = 0;
        foreach (var step in Steps)
        {
            var below = step.Bit < split ? OrderedHashing.Bit(key, step.Bit) == 1 : endBelow;
            if (below)
            {
                belowCount += step.Sibling.Count;
                belowSize += step.Sibling.Size;
            }
            else
            {
                aboveCount += step.Sibling.Count;
                aboveSize += step.Sibling.Size;
            }
        }
        if (endBelow)
        {
            belowCount++;
            belowSize += end.Size;
        }
        else if (end.Key != key)
        {
            aboveCount++;
            aboveSize += end.Size;
        }
        return (Narrow(key, belowCount, belowSize), Narrow(key, aboveCount, aboveSize));
    }

    /// <summary>The proof's shape: at most 256 steps, bits strictly increasing, no empty sibling, a leaf on the key's path unless the tree is empty.</summary>
    private void Check(in Hash256 key)
    {
        if (Depth > MaxDepth)
        {
            Throw(OrderedProofError.ProofTooDeep, key);
        }
        if (Leaf is not { } end)
        {
            if (Depth > 0)
            {
                Throw(OrderedProofError.MissingLeaf, key);
            }
            return;
        }
        for (var i = 0; i < Depth; i++)
        {
            var step = Steps[i];
            if (i > 0 && step.Bit <= Steps[i - 1].Bit)
            {
                Throw(OrderedProofError.BitsOutOfOrder, key);
            }
            if (step.Sibling.IsEmpty)
            {
                Throw(OrderedProofError.EmptySibling, key);
            }
            if (OrderedHashing.Bit(end.Key, step.Bit) != OrderedHashing.Bit(key, step.Bit))
            {
                Throw(OrderedProofError.LeafOffPath, key);
            }
        }
    }

    /// <summary>Folds <paramref name="node"/>, the path's node below step <paramref name="levels"/>−1, up through steps levels−1 to 0.</summary>
    private OrderedNode Fold(in Hash256 key, int levels, OrderedNode node)
    {
        for (var i = levels - 1; i >= 0; i--)
        {
            node = Join(key, Steps[i].Bit, node, Steps[i].Sibling);
        }
        return node;
    }

    /// <summary>The inner node splitting on <paramref name="bit"/> over the node on the key's side and the other.</summary>
    private static OrderedNode Join(in Hash256 key, byte bit, in OrderedNode onPath, in OrderedNode other)
    {
        var count = (ulong)onPath.Count + other.Count;
        var size = (UInt128)onPath.Size + other.Size;
        var (count32, size64) = Narrow(key, count, size);
        var (left, right) = OrderedHashing.Bit(key, bit) == 0 ? (onPath, other) : (other, onPath);
        return new OrderedNode(OrderedHashing.Inner(bit, left.Hash, right.Hash, count32, size64), count32, size64);
    }

    private static (uint, ulong) Narrow(in Hash256 key, ulong count, UInt128 size)
    {
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

    [DoesNotReturn]
    private static void Throw(OrderedProofError error, in Hash256 key) => throw new InvalidOrderedProofException(error, key);
}
