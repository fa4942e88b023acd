using System.Buffers.Binary;
using System.Numerics;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.State.Ordered;

/// <summary>
/// The hashes of the ordered tree's nodes (<see cref="OrderedMerkleTree"/> has the rules): a leaf is
/// <c>keccak256(0x00 ‖ key ‖ valueHash ‖ u64 size)</c>, an inner node
/// <c>keccak256(0x01 ‖ u8 bit ‖ left ‖ right ‖ u32 count ‖ u64 size)</c>, integers big-endian; and the bits of keys.
/// </summary>
public static class OrderedHashing
{
    public const byte LeafTag = 0x00;
    public const byte InnerTag = 0x01;

    private const int LeafLength = 1 + Hash256.Length + Hash256.Length + sizeof(ulong);
    private const int InnerLength = 1 + 1 + Hash256.Length + Hash256.Length + sizeof(uint) + sizeof(ulong);

    public static Hash256 Leaf(in Hash256 key, in Hash256 valueHash, ulong size)
    {
        Span<byte> buffer = stackalloc byte[LeafLength];
        buffer[0] = LeafTag;
        key.CopyTo(buffer[1..]);
        valueHash.CopyTo(buffer[33..]);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[65..], size);
        return Keccak256.Compute(buffer);
    }

    public static Hash256 Inner(byte bit, in Hash256 left, in Hash256 right, uint count, ulong size)
    {
        Span<byte> buffer = stackalloc byte[InnerLength];
        buffer[0] = InnerTag;
        buffer[1] = bit;
        left.CopyTo(buffer[2..]);
        right.CopyTo(buffer[34..]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[66..], count);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[70..], size);
        return Keccak256.Compute(buffer);
    }

    /// <summary>Bit <paramref name="index"/> of a key, the most significant bit of byte 0 first.</summary>
    public static int Bit(in Hash256 key, int index) => (key.Bytes[index >> 3] >> (7 - (index & 7))) & 1;

    /// <summary>The index of the first bit where two different keys differ.</summary>
    public static int FirstDifferingBit(in Hash256 a, in Hash256 b)
    {
        var x = a.Bytes;
        var y = b.Bytes;
        for (var word = 0; word < Hash256.Length; word += sizeof(ulong))
        {
            var diff = BinaryPrimitives.ReadUInt64BigEndian(x[word..]) ^ BinaryPrimitives.ReadUInt64BigEndian(y[word..]);
            if (diff != 0)
            {
                return (word * 8) + BitOperations.LeadingZeroCount(diff);
            }
        }
        throw new ArgumentException("the keys are equal");
    }
}
