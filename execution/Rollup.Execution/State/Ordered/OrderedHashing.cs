using System.Buffers.Binary;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.State.Ordered;

/// <summary>
/// The hashes of the ordered tree's nodes (<see cref="OrderedMerkleTree"/> has the rules):
/// a leaf is <c>keccak256(0x00 ‖ key ‖ valueHash ‖ u64 size)</c>, an inner node
/// <c>keccak256(0x01 ‖ left ‖ right ‖ u32 count ‖ u64 size)</c>, integers big-endian.
/// </summary>
public static class OrderedHashing
{
    public const byte LeafTag = 0x00;
    public const byte InnerTag = 0x01;

    private const int LeafLength = 1 + Hash256.Length + Hash256.Length + sizeof(ulong);
    private const int InnerLength = 1 + Hash256.Length + Hash256.Length + sizeof(uint) + sizeof(ulong);

    public static Hash256 Leaf(in Hash256 key, in Hash256 valueHash, ulong size)
    {
        Span<byte> buffer = stackalloc byte[LeafLength];
        buffer[0] = LeafTag;
        key.CopyTo(buffer[1..]);
        valueHash.CopyTo(buffer[33..]);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[65..], size);
        return Keccak256.Compute(buffer);
    }

    public static Hash256 Inner(in Hash256 left, in Hash256 right, uint count, ulong size)
    {
        Span<byte> buffer = stackalloc byte[InnerLength];
        buffer[0] = InnerTag;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[65..], count);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[69..], size);
        return Keccak256.Compute(buffer);
    }
}
