using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.State.Merkle;

/// <summary>
/// The hashing rules of our sparse Merkle trees (protocol: docs/state.md; the L1 verifier uses the same):
/// a leaf is <c>keccak256(0x00 ‖ key ‖ valueHash)</c>, an inner node <c>keccak256(0x01 ‖ left ‖ right)</c>,
/// an empty subtree is 32 zero bytes, and a subtree holding one leaf has that leaf's hash.
/// </summary>
public static class MerkleHashing
{
    public const byte LeafTag = 0x00;
    public const byte NodeTag = 0x01;

    public static Hash256 Leaf(in Hash256 key, in Hash256 valueHash)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Hash256.Length)];
        buffer[0] = LeafTag;
        key.CopyTo(buffer[1..]);
        valueHash.CopyTo(buffer[33..]);
        return Keccak256.Compute(buffer);
    }

    public static Hash256 Node(in Hash256 left, in Hash256 right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Hash256.Length)];
        buffer[0] = NodeTag;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return Keccak256.Compute(buffer);
    }

    /// <summary>Bit <paramref name="depth"/> of a key, most significant bit of byte 0 first: 0 goes left, 1 right.</summary>
    public static int Bit(in Hash256 key, int depth) => (key.Bytes[depth >> 3] >> (7 - (depth & 7))) & 1;
}
