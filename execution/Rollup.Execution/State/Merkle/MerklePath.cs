using Rollup.Primitives;

namespace Rollup.Execution.State.Merkle;

/// <summary>Positions in a tree: the first <c>depth</c> bits of a key.</summary>
public static class MerklePath
{
    /// <summary>The key with every bit from <paramref name="depth"/> on cleared: one value per position.</summary>
    public static Hash256 Mask(in Hash256 key, int depth)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        key.CopyTo(bytes);
        ClearFrom(bytes, depth);
        return new Hash256(bytes);
    }

    /// <summary>The key with bit <paramref name="depth"/> set to <paramref name="bit"/>: the path of one child.</summary>
    public static Hash256 WithBit(in Hash256 key, int depth, int bit)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        key.CopyTo(bytes);
        var mask = (byte)(0x80 >> (depth & 7));
        bytes[depth >> 3] = (byte)(bit == 0 ? bytes[depth >> 3] & ~mask : bytes[depth >> 3] | mask);
        return new Hash256(bytes);
    }

    /// <summary>True when both keys have the same first <paramref name="depth"/> bits.</summary>
    public static bool SharePrefix(in Hash256 a, in Hash256 b, int depth)
    {
        var whole = depth >> 3;
        if (!a.Bytes[..whole].SequenceEqual(b.Bytes[..whole]))
        {
            return false;
        }
        var rest = depth & 7;
        if (rest == 0)
        {
            return true;
        }
        var mask = (byte)(0xFF << (8 - rest));
        return (a.Bytes[whole] & mask) == (b.Bytes[whole] & mask);
    }

    /// <summary>Writes the position as ⌈depth/8⌉ bytes of masked path after a 2-byte big-endian depth; returns the length.</summary>
    public static int Encode(int depth, in Hash256 key, Span<byte> destination)
    {
        destination[0] = (byte)(depth >> 8);
        destination[1] = (byte)depth;
        var length = (depth + 7) >> 3;
        key.Bytes[..length].CopyTo(destination[2..]);
        ClearFrom(destination.Slice(2, length), depth);
        return 2 + length;
    }

    public const int MaxEncodedLength = 2 + Hash256.Length;

    private static void ClearFrom(Span<byte> bytes, int depth)
    {
        var whole = depth >> 3;
        if (whole >= bytes.Length)
        {
            return;
        }
        var rest = depth & 7;
        bytes[whole] &= (byte)(0xFF << (8 - rest));
        bytes[(whole + 1)..].Clear();
    }
}
