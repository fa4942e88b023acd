using System.Buffers;

namespace Rollup.Bridge.Batches;

/// <summary>
/// Unsigned LEB128 (7 bits a byte, low group first, high bit = more) and zig-zag for signed deltas. Decoding
/// is strict: at most 10 bytes, no overlong form (a last byte of 0 after the first), no overflow past 64 bits,
/// so each value has exactly one encoding.
/// </summary>
internal static class Varint
{
    public const int MaxLength = 10;

    public static void Write(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(MaxLength);
        var at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[at++] = (byte)value;
        writer.Advance(at);
    }

    public static void WriteSigned(IBufferWriter<byte> writer, long value) => Write(writer, ZigZag(value));

    public static int Length(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Reads one value; false if the bytes end early or are not the canonical encoding.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, ref int position, out ulong value)
    {
        value = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (position >= source.Length)
            {
                return false;
            }
            var b = source[position++];
            if (i == 9 && b > 1)
            {
                return false; // would overflow 64 bits
            }
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return i == 0 || b != 0;
            }
        }
        return false;
    }
}
