using Rollup.Primitives;

namespace Rollup.Execution.State.Merkle;

/// <summary>
/// A path from the root towards a key: the sibling hashes from the root down, and what ends the path:
/// a leaf (<see cref="LeafKey"/>, <see cref="LeafValueHash"/>), or nothing (both zero).
/// Proves a key's value when the leaf is that key's, and the key's absence otherwise.
/// </summary>
public sealed record MerkleProof(IReadOnlyList<Hash256> Siblings, Hash256 LeafKey, Hash256 LeafValueHash)
{
    /// <summary>
    /// Checks that under <paramref name="root"/>, <paramref name="key"/> holds <paramref name="valueHash"/>,
    /// or is absent when <paramref name="valueHash"/> is zero. Stand-alone: the L1 contract runs the same steps.
    /// </summary>
    public bool Verify(in Hash256 root, in Hash256 key, in Hash256 valueHash) =>
        ComputeRoot(key, valueHash) is { } computed && computed == root;

    /// <summary>
    /// The root this proof leads to if <paramref name="key"/> holds <paramref name="valueHash"/> (zero: is absent);
    /// null when the proof cannot say that at all (wrong leaf, a leaf off the key's path, too deep).
    /// </summary>
    public Hash256? ComputeRoot(in Hash256 key, in Hash256 valueHash)
    {
        var depth = Siblings.Count;
        if (depth > 256)
        {
            return null;
        }
        Hash256 node;
        if (LeafKey.IsZero && LeafValueHash.IsZero)
        {
            if (!valueHash.IsZero)
            {
                return null;
            }
            node = Hash256.Zero;
        }
        else if (LeafKey == key)
        {
            if (LeafValueHash != valueHash || valueHash.IsZero)
            {
                return null;
            }
            node = MerkleHashing.Leaf(key, valueHash);
        }
        else
        {
            // Another key's leaf where ours would be: proves absence, if it really sits on our path.
            if (!valueHash.IsZero || !MerklePath.SharePrefix(LeafKey, key, depth))
            {
                return null;
            }
            node = MerkleHashing.Leaf(LeafKey, LeafValueHash);
        }
        for (var i = depth - 1; i >= 0; i--)
        {
            node = MerkleHashing.Bit(key, i) == 0 ? MerkleHashing.Node(node, Siblings[i]) : MerkleHashing.Node(Siblings[i], node);
        }
        return node;
    }

    /// <summary>
    /// The root after <paramref name="key"/> is set to <paramref name="newValueHash"/> (non-zero), given that this
    /// proof (already checked) shows the key's current state: its own leaf, nothing, or another key's leaf where its
    /// path ends. In the last case the two leaves hang below an inner node at the first bit where their keys differ,
    /// with empty siblings between (docs/steps.md, "The witness, leaf by leaf").
    /// </summary>
    public Hash256 ComputeRootAfterWrite(in Hash256 key, in Hash256 newValueHash)
    {
        var depth = Siblings.Count;
        var node = MerkleHashing.Leaf(key, newValueHash);
        if (!LeafKey.IsZero && LeafKey != key)
        {
            var split = depth;
            while (MerkleHashing.Bit(key, split) == MerkleHashing.Bit(LeafKey, split))
            {
                split++;
            }
            var other = MerkleHashing.Leaf(LeafKey, LeafValueHash);
            node = MerkleHashing.Bit(key, split) == 0 ? MerkleHashing.Node(node, other) : MerkleHashing.Node(other, node);
            for (var i = split - 1; i >= depth; i--)
            {
                node = MerkleHashing.Bit(key, i) == 0 ? MerkleHashing.Node(node, Hash256.Zero) : MerkleHashing.Node(Hash256.Zero, node);
            }
        }
        for (var i = depth - 1; i >= 0; i--)
        {
            node = MerkleHashing.Bit(key, i) == 0 ? MerkleHashing.Node(node, Siblings[i]) : MerkleHashing.Node(Siblings[i], node);
        }
        return node;
    }
}
