using Rollup.Primitives;

namespace Rollup.Execution.State.Ordered;

/// <summary>
/// Ordered Merkle tree: a path-compressed binary trie over raw keys whose nodes carry the number and total size of
/// the leaves below them, so that the first leaf, and the count and size of the leaves before a key, are each one
/// path of about log2(n) nodes.
/// </summary>
/// <remarks>
/// <para>Keys. 256-bit values used as they are, not hashed, so the leaves from left to right are in ascending key
/// order (keys compared as big-endian numbers). Callers build them as priority keys, e.g. u64 price ‖ u64
/// orderId ‖ zeros. Bit i of a key is counted from the most significant bit of byte 0.</para>
/// <para>Shape. The tree over a set of keys is unique: the empty set is the empty tree, one key is its leaf, and more
/// keys hang below an inner node at the first bit b where they do not all agree, the keys with bit b = 0 in its
/// left subtree and those with 1 in its right (each again such a tree). An inner node's bit is less than its inner
/// children's, no inner node has an empty child, and n leaves have n−1 inner nodes.</para>
/// <para>Nodes. Every subtree is a node (hash, count, size): count (u32) is the number of leaves below it, size (u64)
/// the sum of their sizes; integers are hashed big-endian at fixed width.</para>
/// <list type="bullet">
/// <item>empty: (32 zero bytes, 0, 0);</item>
/// <item>the leaf of key k with value hash v and size s: (keccak256(0x00 ‖ k ‖ v ‖ u64 s), 1, s);</item>
/// <item>an inner node at bit b with children L and R: (keccak256(0x01 ‖ u8 b ‖ L.hash ‖ R.hash ‖ u32 count ‖ u64
/// size), count, size), where count = L.count + R.count and size = L.size + R.size.</item>
/// </list>
/// <para>The root node commits to the tree: its hash binds its count and size. A write after which the tree's count
/// would exceed 2^32−1 or its size 2^64−1 is refused. A value hash may be any 32 bytes, zero included: whether
/// a key is present is told by its proof's ending.</para>
/// <para>Proofs. The path of key k starts at the root and at each inner node goes to the child that k's bit at the
/// node's bit names, until it reaches a leaf: k's own (k is present) or, when k is absent, the leaf where k would
/// branch off. A proof for k holds the steps 0 to d−1, step i being the bit b_i of the path's inner node at depth i
/// and the (hash, count, size) of its child off the path; and the leaf that ends the path (key, value hash,
/// size), which only the empty tree's proof (d = 0) lacks. A proof is malformed, and refused, when d exceeds 256;
/// when a step's bit is not greater than the one above it; when a sibling is empty; when it has steps but no
/// leaf; when the leaf's key differs from k at some step's bit (it would not be on k's path); and when a sum
/// overflows its width.</para>
/// <para>Root. Start from the leaf's node (empty if none); for i from d−1 down to 0 the node becomes inner(b_i,
/// node, sibling i) if bit b_i of k is 0, else inner(b_i, sibling i, node). The proof holds when the result's hash
/// is the root's.</para>
/// <para>Write k with value hash v and size s. In the empty tree the root becomes k's leaf. Where the path ends in
/// k's leaf (an update), the fold runs from k's new leaf. Where it ends in another key's leaf j (an insert), let c
/// be the first bit where k and j differ: the fold runs from j's leaf, and just before the first step (from the
/// bottom) whose bit is less than c, or at the top if there is none, the node so far is joined with k's new leaf
/// under inner(c, ·, ·), each on the side its bit c gives.</para>
/// <para>Delete k, from its inclusion proof: with d = 0 the tree becomes empty; otherwise k's parent is replaced by
/// its other child, sibling d−1, and the fold runs from it through steps d−2 to 0.</para>
/// <para>Order. With c the first bit where k and the path's leaf differ (none when the leaf is k's), a sibling at a
/// step whose bit b_i is less than c lies left of k (its keys are smaller) when bit b_i of k is 1, and right when
/// it is 0; a sibling at a step whose bit is greater than c lies on the side of k that the leaf lies on. The
/// prefix of k is the count and size of the leaves left of it: those siblings plus the leaf if its key is less
/// than k. k is leftmost when its prefix count is 0, and rightmost when no sibling or leaf lies right of it. These
/// read the proof only: check it against the root first.</para>
/// <para>This tree is held in memory as linked nodes, each caching its summary; not thread-safe.
/// <see cref="OrderedMerkleProof"/> checks and uses its proofs; OrderedTree.sol is its L1 twin.</para>
/// </remarks>
public sealed class OrderedMerkleTree
{
    private OrderedTreeNode? _root;
    private int _nodeCount;

    /// <summary>The root node: its hash, the number of leaves and their total size.</summary>
    public OrderedNode Root => _root?.Summary ?? OrderedNode.Empty;

    /// <summary>Leaves and inner nodes held.</summary>
    public int NodeCount => _nodeCount;

    /// <summary>A tree of its own with the same leaves, copied node by node with their summaries (no rehashing).</summary>
    public OrderedMerkleTree Clone() => new() { _root = _root?.Copy(), _nodeCount = _nodeCount };

    public bool TryGet(in Hash256 key, out OrderedLeaf leaf)
    {
        var end = Descend(key, path: null);
        if (end is not null && end.Leaf.Key == key)
        {
            leaf = end.Leaf;
            return true;
        }
        leaf = default;
        return false;
    }

    /// <summary>The leaf with the smallest key (<paramref name="first"/>) or the largest; false when the tree is empty.</summary>
    public bool TryGetEdge(bool first, out OrderedLeaf leaf)
    {
        var node = _root;
        if (node is null)
        {
            leaf = default;
            return false;
        }
        while (!node.IsLeaf)
        {
            node = node.Child(first ? 0 : 1);
        }
        leaf = node.Leaf;
        return true;
    }

    /// <summary>Inserts <paramref name="key"/> or updates its value hash and size.</summary>
    /// <exception cref="OverflowException">The tree's count or size would not fit; the tree is unchanged.</exception>
    public void Set(in Hash256 key, in Hash256 valueHash, ulong size)
    {
        var path = new List<OrderedTreeNode>();
        var end = Descend(key, path);
        var updates = end is not null && end.Leaf.Key == key;
        CheckFits(addsLeaf: !updates, removedSize: updates ? end!.Leaf.Size : 0, size);
        var leaf = new OrderedLeaf(key, valueHash, size);
        if (end is null)
        {
            _root = OrderedTreeNode.OfLeaf(leaf);
            _nodeCount = 1;
            return;
        }
        if (updates)
        {
            end.SetLeaf(leaf);
            Refresh(path, path.Count);
            return;
        }
        // The new leaf branches off where the keys first differ: above the first node on the path that splits later.
        var split = OrderedHashing.FirstDifferingBit(key, end.Leaf.Key);
        var at = 0;
        while (at < path.Count && path[at].Bit < split)
        {
            at++;
        }
        var displaced = at < path.Count ? path[at] : end;
        var joined = OrderedTreeNode.Joining((byte)split, OrderedTreeNode.OfLeaf(leaf), displaced);
        Replace(path, at, key, joined);
        _nodeCount += 2;
        Refresh(path, at);
    }

    /// <summary>Deletes <paramref name="key"/>; false when the tree does not hold it.</summary>
    public bool Remove(in Hash256 key)
    {
        var path = new List<OrderedTreeNode>();
        var end = Descend(key, path);
        if (end is null || end.Leaf.Key != key)
        {
            return false;
        }
        if (path.Count == 0)
        {
            _root = null;
            _nodeCount = 0;
            return true;
        }
        var parentDepth = path.Count - 1;
        var parent = path[parentDepth];
        var sibling = parent.Child(1 - OrderedHashing.Bit(key, parent.Bit));
        Replace(path, parentDepth, key, sibling);
        _nodeCount -= 2;
        Refresh(path, parentDepth);
        return true;
    }

    /// <summary>The steps on <paramref name="key"/>'s path and the leaf that ends it.</summary>
    public OrderedMerkleProof GetProof(in Hash256 key)
    {
        var steps = new List<OrderedStep>();
        var node = _root;
        if (node is null)
        {
            return new OrderedMerkleProof(steps, null);
        }
        while (!node.IsLeaf)
        {
            var side = OrderedHashing.Bit(key, node.Bit);
            steps.Add(new OrderedStep(node.Bit, node.Child(1 - side).Summary));
            node = node.Child(side);
        }
        return new OrderedMerkleProof(steps, node.Leaf);
    }

    /// <summary>The leaf where <paramref name="key"/>'s path ends (null: the tree is empty); collects the inner nodes on the way into <paramref name="path"/>.</summary>
    private OrderedTreeNode? Descend(in Hash256 key, List<OrderedTreeNode>? path)
    {
        var node = _root;
        while (node is { IsLeaf: false })
        {
            path?.Add(node);
            node = node.Child(OrderedHashing.Bit(key, node.Bit));
        }
        return node;
    }

    /// <summary>Puts <paramref name="node"/> where the path's node at <paramref name="depth"/> was.</summary>
    private void Replace(List<OrderedTreeNode> path, int depth, in Hash256 key, OrderedTreeNode node)
    {
        if (depth == 0)
        {
            _root = node;
            return;
        }
        var parent = path[depth - 1];
        parent.SetChild(OrderedHashing.Bit(key, parent.Bit), node);
    }

    /// <summary>Rehashes the path's inner nodes at depths below <paramref name="levels"/>, bottom up.</summary>
    private static void Refresh(List<OrderedTreeNode> path, int levels)
    {
        for (var i = levels - 1; i >= 0; i--)
        {
            path[i].Refresh();
        }
    }

    /// <summary>Every inner node's sums are at most the root's, so checking the root's is enough.</summary>
    private void CheckFits(bool addsLeaf, ulong removedSize, ulong addedSize)
    {
        var root = Root;
        if (addsLeaf && root.Count == uint.MaxValue)
        {
            throw new OverflowException("an ordered tree holds at most 2^32-1 leaves");
        }
        if (addedSize > ulong.MaxValue - (root.Size - removedSize))
        {
            throw new OverflowException($"an ordered tree's sizes sum to at most 2^64-1: {root.Size} - {removedSize} + {addedSize} does not fit");
        }
    }
}
