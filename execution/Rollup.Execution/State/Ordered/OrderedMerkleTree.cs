using Rollup.Execution.State.Merkle;
using Rollup.Primitives;

namespace Rollup.Execution.State.Ordered;

/// <summary>
/// Ordered sparse Merkle tree: a sparse Merkle tree over raw keys whose nodes carry the number and total size of the
/// leaves below them, so that the first leaf, and the count and size of the leaves before a key, are each one path.
/// </summary>
/// <remarks>
/// <para>Keys. 256-bit values used as they are, not hashed, so the leaves from left to right are in ascending key
/// order (keys compared as big-endian numbers). Callers build them as priority keys, e.g. u64 price ‖ u64
/// orderId ‖ zeros.</para>
/// <para>Paths. As in docs/state.md: bit i of a key (most significant bit of byte 0 first) picks the left (0) or
/// right (1) child at depth i, and a subtree holding exactly one leaf is that leaf, so a leaf sits at the
/// shallowest depth where no other key shares its path. Leaves whose keys share many bits hang below a chain of
/// inner nodes whose other child is empty.</para>
/// <para>Nodes. Every subtree is a node (hash, count, size): count (u32) is the number of leaves below it, size (u64)
/// the sum of their sizes; integers are hashed big-endian at fixed width.</para>
/// <list type="bullet">
/// <item>empty: (32 zero bytes, 0, 0);</item>
/// <item>the leaf of key k with value hash v and size s: (keccak256(0x00 ‖ k ‖ v ‖ u64 s), 1, s);</item>
/// <item>an inner node with children L and R: (keccak256(0x01 ‖ L.hash ‖ R.hash ‖ u32 count ‖ u64 size), count,
/// size), where count = L.count + R.count and size = L.size + R.size.</item>
/// </list>
/// <para>The root node commits to the tree: its hash binds its count and size. A write after which the tree's count
/// would exceed 2^32−1 or its size 2^64−1 is refused. A value hash may be any 32 bytes, zero included: whether
/// a key is present is told by its proof's ending.</para>
/// <para>Proofs. A proof for key k holds: siblings 0 to d−1, sibling i being the (hash, count, size) of the child of
/// the path's node at depth i that is off k's path; what ends the path at depth d: nothing (an empty subtree)
/// or a leaf (key, value hash, size), either k's own (k is present) or another key's that shares k's first d
/// bits (k is absent); and, when sibling d−1 is a lone leaf (count 1), that leaf's key and value hash (its size
/// is the sibling's), zero otherwise. A proof is malformed, and refused, when d exceeds 256; when another key's
/// leaf ends it without sharing k's first d bits; when d is positive and sibling d−1 is empty under a leaf
/// ending, or holds fewer than two leaves under an empty ending (no tree has either); and when a sum overflows
/// its width.</para>
/// <para>Root. Start from what ends the path (empty, or the leaf's node); for i from d−1 down to 0 the node becomes
/// inner(node, sibling i) if bit i of k is 0, else inner(sibling i, node). The proof holds when the result's
/// hash is the root's.</para>
/// <para>Write k with value hash v and size s (an insert or an update): the same fold from another start. Where the
/// path ends in k's leaf or in nothing, the start is k's new leaf. Where it ends in another key's leaf j, the
/// start is an inner node at the first bit b where k and j differ, holding both leaves on the sides their bits
/// b give, wrapped, for each depth from b−1 down to d, in an inner node with the node so far on k's side and an
/// empty node on the other.</para>
/// <para>Delete k, from its inclusion proof: with d = 0 the tree becomes empty. If sibling d−1 holds two or more
/// leaves, k's place becomes empty and the fold runs as above. If it is a lone leaf (the proof's key and value
/// hash for it, with its size, must hash to it), that leaf moves up: it becomes the path's node at the smallest
/// depth e such that siblings e to d−2 are all empty, and the fold goes on from sibling e−1 down to 0.</para>
/// <para>Order. The prefix of k is the count and size of the leaves whose keys are less than k: the sum of the
/// siblings i where bit i of k is 1 (they lie left of the path), plus the leaf that ends the path if its key is
/// less than k. k is leftmost when no leaf's key is less than k (the prefix count is 0), and rightmost when no
/// leaf's key is greater (every sibling i where bit i of k is 0 is empty, and a leaf that ends the path has a
/// key not greater than k). These read the proof only: check it against the root first.</para>
/// <para>This tree is held in memory, a dictionary of nodes by position as the state trees are; not thread-safe.
/// <see cref="OrderedMerkleProof"/> checks and uses its proofs; OrderedTree.sol is its L1 twin.</para>
/// </remarks>
public sealed class OrderedMerkleTree
{
    private readonly Dictionary<(int Depth, Hash256 Path), OrderedStoredNode> _nodes = [];

    /// <summary>The root node: its hash, the number of leaves and their total size.</summary>
    public OrderedNode Root { get; private set; }

    /// <summary>Leaves and inner nodes held.</summary>
    public int NodeCount => _nodes.Count;

    public bool TryGet(in Hash256 key, out OrderedLeaf leaf)
    {
        var depth = Descend(key, path: null);
        if (TryGetNode(depth, key, out var node) && node.Leaf.Key == key)
        {
            leaf = node.Leaf;
            return true;
        }
        leaf = default;
        return false;
    }

    /// <summary>The leaf with the smallest key (<paramref name="first"/>) or the largest; false when the tree is empty.</summary>
    public bool TryGetEdge(bool first, out OrderedLeaf leaf)
    {
        var path = Hash256.Zero;
        for (var depth = 0; TryGetNode(depth, path, out var node); depth++)
        {
            if (node.IsLeaf)
            {
                leaf = node.Leaf;
                return true;
            }
            var side = first ? (node.Left.IsEmpty ? 1 : 0) : (node.Right.IsEmpty ? 0 : 1);
            path = MerklePath.WithBit(path, depth, side);
        }
        leaf = default;
        return false;
    }

    /// <summary>Inserts <paramref name="key"/> or updates its value hash and size.</summary>
    /// <exception cref="OverflowException">The tree's count or size would not fit; the tree is unchanged.</exception>
    public void Set(in Hash256 key, in Hash256 valueHash, ulong size)
    {
        var path = new List<OrderedStoredNode>();
        var depth = Descend(key, path);
        var found = TryGetNode(depth, key, out var end);
        var updates = found && end.Leaf.Key == key;
        CheckFits(addsLeaf: !updates, removedSize: updates ? end.Leaf.Size : 0, size);
        var leaf = new OrderedLeaf(key, valueHash, size);
        OrderedNode node;
        if (!found || updates)
        {
            Put(depth, key, OrderedStoredNode.OfLeaf(leaf));
            node = leaf.Node;
        }
        else
        {
            node = PutBeside(depth, end.Leaf, leaf);
        }
        Propagate(key, path, path.Count, node);
    }

    /// <summary>Deletes <paramref name="key"/>; false when the tree does not hold it.</summary>
    public bool Remove(in Hash256 key)
    {
        var path = new List<OrderedStoredNode>();
        var depth = Descend(key, path);
        if (!TryGetNode(depth, key, out var end) || end.Leaf.Key != key)
        {
            return false;
        }
        _nodes.Remove((depth, MerklePath.Mask(key, depth)));
        if (depth == 0)
        {
            Root = OrderedNode.Empty;
            return true;
        }
        var otherSide = 1 - MerkleHashing.Bit(key, depth - 1);
        if (path[depth - 1].Child(otherSide).Count != 1)
        {
            Propagate(key, path, depth, OrderedNode.Empty);
            return true;
        }
        // The sibling is a lone leaf: with no other leaf beside it, it moves up past every empty sibling.
        var siblingPosition = (depth, MerklePath.Mask(MerklePath.WithBit(key, depth - 1, otherSide), depth));
        var lone = _nodes[siblingPosition];
        _nodes.Remove(siblingPosition);
        var top = depth - 1;
        while (top > 0 && path[top - 1].Child(1 - MerkleHashing.Bit(key, top - 1)).IsEmpty)
        {
            top--;
        }
        for (var i = top; i < depth; i++)
        {
            _nodes.Remove((i, MerklePath.Mask(key, i)));
        }
        Put(top, lone.Leaf.Key, lone);
        Propagate(key, path, top, lone.Leaf.Node);
        return true;
    }

    /// <summary>The siblings on <paramref name="key"/>'s path, what ends it and, if the deepest sibling is a lone leaf, that leaf.</summary>
    public OrderedMerkleProof GetProof(in Hash256 key)
    {
        var siblings = new List<OrderedNode>();
        OrderedLeaf? end = null;
        for (var depth = 0; TryGetNode(depth, key, out var node); depth++)
        {
            if (node.IsLeaf)
            {
                end = node.Leaf;
                break;
            }
            siblings.Add(node.Child(1 - MerkleHashing.Bit(key, depth)));
        }
        var d = siblings.Count;
        if (d == 0 || siblings[d - 1].Count != 1)
        {
            return new OrderedMerkleProof(siblings, end, Hash256.Zero, Hash256.Zero);
        }
        var deepest = _nodes[(d, MerklePath.Mask(MerklePath.WithBit(key, d - 1, 1 - MerkleHashing.Bit(key, d - 1)), d))].Leaf;
        return new OrderedMerkleProof(siblings, end, deepest.Key, deepest.ValueHash);
    }

    /// <summary>The depth where <paramref name="key"/>'s path leaves the inner nodes; collects them into <paramref name="path"/>.</summary>
    private int Descend(in Hash256 key, List<OrderedStoredNode>? path)
    {
        var depth = 0;
        while (TryGetNode(depth, key, out var node) && !node.IsLeaf)
        {
            path?.Add(node);
            depth++;
        }
        return depth;
    }

    /// <summary>
    /// <paramref name="leaf"/> joins <paramref name="other"/>, which sits at <paramref name="depth"/> on its path: both
    /// hang below an inner node at the first bit where their keys differ, with an empty sibling at each depth above.
    /// </summary>
    private OrderedNode PutBeside(int depth, in OrderedLeaf other, in OrderedLeaf leaf)
    {
        var split = depth;
        while (MerkleHashing.Bit(leaf.Key, split) == MerkleHashing.Bit(other.Key, split))
        {
            split++;
        }
        Put(split + 1, leaf.Key, OrderedStoredNode.OfLeaf(leaf));
        Put(split + 1, other.Key, OrderedStoredNode.OfLeaf(other));
        var inner = MerkleHashing.Bit(leaf.Key, split) == 0
            ? OrderedStoredNode.OfInner(leaf.Node, other.Node)
            : OrderedStoredNode.OfInner(other.Node, leaf.Node);
        Put(split, leaf.Key, inner);
        var node = inner.Summary();
        for (var i = split - 1; i >= depth; i--)
        {
            inner = OrderedStoredNode.OfInner(OrderedNode.Empty, OrderedNode.Empty).WithChild(MerkleHashing.Bit(leaf.Key, i), node);
            Put(i, leaf.Key, inner);
            node = inner.Summary();
        }
        return node;
    }

    /// <summary>Rewrites the inner nodes at depths below <paramref name="levels"/> on the path, bottom up, from the new node under them.</summary>
    private void Propagate(in Hash256 key, List<OrderedStoredNode> path, int levels, OrderedNode node)
    {
        for (var i = levels - 1; i >= 0; i--)
        {
            var inner = path[i].WithChild(MerkleHashing.Bit(key, i), node);
            Put(i, key, inner);
            node = inner.Summary();
        }
        Root = node;
    }

    /// <summary>Every inner node's sums are at most the root's, so checking the root's is enough.</summary>
    private void CheckFits(bool addsLeaf, ulong removedSize, ulong addedSize)
    {
        if (addsLeaf && Root.Count == uint.MaxValue)
        {
            throw new OverflowException("an ordered tree holds at most 2^32-1 leaves");
        }
        if (addedSize > ulong.MaxValue - (Root.Size - removedSize))
        {
            throw new OverflowException($"an ordered tree's sizes sum to at most 2^64-1: {Root.Size} - {removedSize} + {addedSize} does not fit");
        }
    }

    private bool TryGetNode(int depth, in Hash256 key, out OrderedStoredNode node) =>
        _nodes.TryGetValue((depth, MerklePath.Mask(key, depth)), out node);

    private void Put(int depth, in Hash256 key, in OrderedStoredNode node) => _nodes[(depth, MerklePath.Mask(key, depth))] = node;
}
