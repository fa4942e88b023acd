using System.Buffers.Binary;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Acks;

/// <summary>
/// A Merkle tree over the acknowledgements of one signing round, and the sequencer's one signature over its root
/// (<see cref="AckSigning"/>). An ack is (sequence, tx hash, root, proof, signature): the proof takes the ack's leaf
/// to the signed root, so one signature covers many acks and each ack still verifies on its own.
/// <list type="bullet">
/// <item>leaf = keccak256(uint64 big-endian sequence ‖ tx hash), 40 bytes hashed;</item>
/// <item>node = keccak256(lower ‖ higher) of its two children compared byte-wise, 64 bytes hashed (sorted pairs, so
/// a proof needs no left/right flags; leaves and nodes hash inputs of different lengths, so neither passes for the other);</item>
/// <item>leaves in sequence order, paired (0,1), (2,3), ... at each level; an odd last node moves up unchanged;</item>
/// <item>the proof is the siblings from the leaf up, 32 bytes each, levels without a sibling skipped.</item>
/// </list>
/// A tree of one leaf has that leaf as its root and an empty proof.
/// </summary>
public sealed class AckTree
{
    public const int LeafInputLength = sizeof(ulong) + Hash256.Length;

    // _levels[0] are the leaves, the last level is the root alone.
    private readonly Hash256[][] _levels;

    private AckTree(Hash256[][] levels, Signature signature)
    {
        _levels = levels;
        Signature = signature;
    }

    public Hash256 Root => _levels[^1][0];

    /// <summary>The sequencer's EIP-712 signature of <c>AckRoot(bytes32 root)</c>.</summary>
    public Signature Signature { get; }

    public int LeafCount => _levels[0].Length;

    public static Hash256 Leaf(ulong sequence, in Hash256 txHash)
    {
        Span<byte> input = stackalloc byte[LeafInputLength];
        BinaryPrimitives.WriteUInt64BigEndian(input, sequence);
        txHash.CopyTo(input[sizeof(ulong)..]);
        return Keccak256.Compute(input);
    }

    public static Hash256 Node(in Hash256 a, in Hash256 b)
    {
        Span<byte> input = stackalloc byte[2 * Hash256.Length];
        var (low, high) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
        low.CopyTo(input);
        high.CopyTo(input[Hash256.Length..]);
        return Keccak256.Compute(input);
    }

    /// <summary>Builds the tree over <paramref name="leaves"/> (at least one) and signs its root.</summary>
    public static AckTree Build(ReadOnlySpan<Hash256> leaves, Func<Hash256, Signature> signRoot)
    {
        ArgumentNullException.ThrowIfNull(signRoot);
        if (leaves.IsEmpty)
        {
            throw new ArgumentException("a tree holds at least one leaf", nameof(leaves));
        }
        var depth = 1;
        for (var width = leaves.Length; width > 1; width = (width + 1) / 2)
        {
            depth++;
        }
        var levels = new Hash256[depth][];
        levels[0] = leaves.ToArray();
        for (var level = 1; level < depth; level++)
        {
            var below = levels[level - 1];
            var above = new Hash256[(below.Length + 1) / 2];
            for (var i = 0; i < above.Length; i++)
            {
                var left = 2 * i;
                above[i] = left + 1 < below.Length ? Node(below[left], below[left + 1]) : below[left];
            }
            levels[level] = above;
        }
        return new AckTree(levels, signRoot(levels[^1][0]));
    }

    /// <summary>Bytes of the proof of leaf <paramref name="index"/>: 32 per level where it has a sibling.</summary>
    public int ProofLength(int index)
    {
        var length = 0;
        for (var level = 0; level < _levels.Length - 1; level++)
        {
            if ((index ^ 1) < _levels[level].Length)
            {
                length += Hash256.Length;
            }
            index >>= 1;
        }
        return length;
    }

    public byte[] Proof(int index)
    {
        if ((uint)index >= (uint)LeafCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"the tree has {LeafCount} leaves");
        }
        var proof = new byte[ProofLength(index)];
        var written = 0;
        for (var level = 0; level < _levels.Length - 1; level++)
        {
            var sibling = index ^ 1;
            if (sibling < _levels[level].Length)
            {
                _levels[level][sibling].CopyTo(proof.AsSpan(written));
                written += Hash256.Length;
            }
            index >>= 1;
        }
        return proof;
    }

    /// <summary>
    /// The root a proof leads to from (sequence, tx hash); false when the proof is not whole 32-byte siblings or is
    /// longer than any tree the sequencer signs.
    /// </summary>
    public static bool TryComputeRoot(ulong sequence, in Hash256 txHash, ReadOnlySpan<byte> proof, out Hash256 root)
    {
        root = default;
        if (proof.Length % Hash256.Length != 0 || proof.Length > 64 * Hash256.Length)
        {
            return false;
        }
        var node = Leaf(sequence, txHash);
        for (var at = 0; at < proof.Length; at += Hash256.Length)
        {
            node = Node(node, new Hash256(proof.Slice(at, Hash256.Length)));
        }
        root = node;
        return true;
    }
}
