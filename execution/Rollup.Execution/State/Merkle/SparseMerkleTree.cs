using System.Buffers;
using Rollup.Primitives;

namespace Rollup.Execution.State.Merkle;

/// <summary>
/// A binary sparse Merkle tree over 256-bit keys with compressed paths: a leaf sits at the shallowest
/// position where no other key shares its path, so depth grows like log2 of the number of keys.
/// An update of k keys reads and writes O(k log n) nodes, whatever the tree's size.
/// </summary>
/// <remarks>Not thread-safe; one tree per market lets markets update their trees in parallel.</remarks>
public sealed class SparseMerkleTree
{
    private readonly IMerkleNodeStore _store;

    public SparseMerkleTree(IMerkleNodeStore store)
    {
        _store = store;
    }

    /// <summary>A tree in memory holding exactly <paramref name="leaves"/> (distinct keys, any order): a batch's own trees.</summary>
    public static SparseMerkleTree InMemory(Span<MerkleUpdate> leaves)
    {
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        tree.Update(leaves);
        return tree;
    }

    /// <summary>The root hash; zero for an empty tree.</summary>
    public Hash256 Root => _store.TryGet(0, Hash256.Zero, out var node) ? node.Hash() : Hash256.Zero;

    /// <summary>Applies the updates (keys must be distinct; their order does not matter) and returns the new root.</summary>
    /// <exception cref="ArgumentException">Two updates name the same key.</exception>
    public Hash256 Update(Span<MerkleUpdate> updates)
    {
        if (updates.IsEmpty)
        {
            return Root;
        }
        updates.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        for (var i = 1; i < updates.Length; i++)
        {
            if (updates[i].Key == updates[i - 1].Key)
            {
                throw new ArgumentException($"key {updates[i].Key} is updated twice in one batch", nameof(updates));
            }
        }
        return UpdateAt(0, updates).Hash;
    }

    /// <summary>The siblings on the path to <paramref name="key"/> and what ends it: the key's leaf, another leaf, or nothing.</summary>
    public MerkleProof GetProof(in Hash256 key)
    {
        var siblings = new List<Hash256>();
        for (var depth = 0; _store.TryGet(depth, key, out var node); depth++)
        {
            if (node.Kind == MerkleNodeKind.Leaf)
            {
                return new MerkleProof(siblings, node.First, node.Second);
            }
            siblings.Add(MerkleHashing.Bit(key, depth) == 0 ? node.Second : node.First);
        }
        return new MerkleProof(siblings, Hash256.Zero, Hash256.Zero);
    }

    private Subtree UpdateAt(int depth, ReadOnlySpan<MerkleUpdate> updates)
    {
        var path = updates[0].Key;
        if (!_store.TryGet(depth, path, out var node))
        {
            return Rebuild(depth, path, updates, existing: default, existedHere: false);
        }
        if (node.Kind == MerkleNodeKind.Leaf)
        {
            return Rebuild(depth, path, updates, node, existedHere: true);
        }
        var split = FirstWithBitSet(updates, depth);
        var left = split == 0 ? Subtree.Stored(node.First) : UpdateAt(depth + 1, updates[..split]);
        var right = split == updates.Length ? Subtree.Stored(node.Second) : UpdateAt(depth + 1, updates[split..]);
        return Combine(depth, path, left, right, existedHere: true);
    }

    /// <summary>
    /// The position holds at most one leaf (<paramref name="existing"/>), so nothing lies below it: the new
    /// subtree is built from the surviving leaf and the inserts alone, without reading the store.
    /// </summary>
    private Subtree Rebuild(int depth, in Hash256 path, ReadOnlySpan<MerkleUpdate> updates, in MerkleNode existing, bool existedHere)
    {
        var rented = ArrayPool<MerkleUpdate>.Shared.Rent(updates.Length + 1);
        try
        {
            var count = 0;
            var pending = existing.Kind == MerkleNodeKind.Leaf;
            foreach (var update in updates)
            {
                if (pending && existing.First.CompareTo(update.Key) <= 0)
                {
                    if (existing.First != update.Key)
                    {
                        rented[count++] = new MerkleUpdate(existing.First, existing.Second);
                    }
                    pending = false;
                }
                if (!update.IsRemoval)
                {
                    rented[count++] = update;
                }
            }
            if (pending)
            {
                rented[count++] = new MerkleUpdate(existing.First, existing.Second);
            }
            return BuildFromLeaves(depth, path, rented.AsSpan(0, count), existedHere);
        }
        finally
        {
            ArrayPool<MerkleUpdate>.Shared.Return(rented);
        }
    }

    private Subtree BuildFromLeaves(int depth, in Hash256 path, ReadOnlySpan<MerkleUpdate> leaves, bool existedHere)
    {
        switch (leaves.Length)
        {
            case 0:
                if (existedHere)
                {
                    _store.Delete(depth, path);
                }
                return Subtree.Empty;
            case 1:
                _store.Put(depth, leaves[0].Key, MerkleNode.Leaf(leaves[0].Key, leaves[0].ValueHash));
                return Subtree.Leaf(leaves[0].Key, leaves[0].ValueHash);
        }
        var split = FirstWithBitSet(leaves, depth);
        var left = split == 0 ? Subtree.Empty : BuildFromLeaves(depth + 1, leaves[0].Key, leaves[..split], existedHere: false);
        var right = split == leaves.Length ? Subtree.Empty : BuildFromLeaves(depth + 1, leaves[split].Key, leaves[split..], existedHere: false);
        return Combine(depth, path, left, right, existedHere);
    }

    private Subtree Combine(int depth, in Hash256 path, Subtree left, Subtree right, bool existedHere)
    {
        if (left.Kind == SubtreeKind.Empty && right.Kind == SubtreeKind.Empty)
        {
            if (existedHere)
            {
                _store.Delete(depth, path);
            }
            return Subtree.Empty;
        }
        if (left.Kind == SubtreeKind.Empty || right.Kind == SubtreeKind.Empty)
        {
            var side = left.Kind == SubtreeKind.Empty ? 1 : 0;
            var only = side == 0 ? left : right;
            if (only.Kind == SubtreeKind.Stored)
            {
                only = Load(depth + 1, MerklePath.WithBit(path, depth, side), only.Hash);
            }
            if (only.Kind == SubtreeKind.Leaf)
            {
                // A leaf with no sibling moves up: its position is the shallowest one it does not share.
                _store.Delete(depth + 1, only.LeafKey);
                _store.Put(depth, only.LeafKey, MerkleNode.Leaf(only.LeafKey, only.LeafValue));
                return only;
            }
        }
        var inner = MerkleNode.Inner(left.Hash, right.Hash);
        _store.Put(depth, path, inner);
        return Subtree.Inner(inner.Hash());
    }

    private Subtree Load(int depth, in Hash256 path, in Hash256 expectedHash)
    {
        if (!_store.TryGet(depth, path, out var node))
        {
            throw new InvalidOperationException($"merkle node missing at depth {depth} below a non-empty hash {expectedHash}: the store is corrupt");
        }
        return node.Kind == MerkleNodeKind.Leaf ? Subtree.Leaf(node.First, node.Second) : Subtree.Inner(expectedHash);
    }

    /// <summary>Index of the first update whose key has bit <paramref name="depth"/> set (keys sorted, sharing the bits above).</summary>
    private static int FirstWithBitSet(ReadOnlySpan<MerkleUpdate> sorted, int depth)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (MerkleHashing.Bit(sorted[middle].Key, depth) == 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private enum SubtreeKind : byte
    {
        Empty,
        Leaf,
        Inner,
        /// <summary>Unchanged and not read: its hash is known from the parent, its kind is not.</summary>
        Stored,
    }

    private readonly struct Subtree
    {
        private Subtree(SubtreeKind kind, Hash256 hash, Hash256 leafKey, Hash256 leafValue)
        {
            Kind = kind;
            Hash = hash;
            LeafKey = leafKey;
            LeafValue = leafValue;
        }

        public SubtreeKind Kind { get; }

        public Hash256 Hash { get; }

        public Hash256 LeafKey { get; }

        public Hash256 LeafValue { get; }

        public static Subtree Empty => default;

        public static Subtree Leaf(in Hash256 key, in Hash256 value) =>
            new(SubtreeKind.Leaf, MerkleHashing.Leaf(key, value), key, value);

        public static Subtree Inner(in Hash256 hash) => new(SubtreeKind.Inner, hash, default, default);

        public static Subtree Stored(in Hash256 hash) =>
            hash.IsZero ? Empty : new(SubtreeKind.Stored, hash, default, default);
    }
}
