using System.Numerics;

namespace Rollup.Bridge.L1;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B): byte strings, unsigned
/// integers as big-endian bytes without leading zeros (zero is the empty string), and lists.
/// </summary>
public static class Rlp
{
    /// <summary>The encoding of the empty byte string (also of the integer 0).</summary>
    public const byte EmptyString = 0x80;

    /// <summary>The encoding of the empty list.</summary>
    public const byte EmptyList = 0xC0;

    // Payloads up to 55 bytes carry their length in the prefix byte; longer ones name the length of the length.
    internal const int ShortPayloadLimit = 55;

    public static byte[] EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] < 0x80)
        {
            return [bytes[0]];
        }
        var encoded = new byte[PrefixLength(bytes.Length) + bytes.Length];
        var written = WritePrefix(encoded, EmptyString, bytes.Length);
        bytes.CopyTo(encoded.AsSpan(written));
        return encoded;
    }

    public static byte[] EncodeUInt(ulong value) => EncodeBytes(WithoutLeadingZeros(value));

    /// <summary>A non-negative integer of any size; negative numbers have no RLP form.</summary>
    public static byte[] EncodeUInt(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "RLP encodes only non-negative integers");
        }
        return EncodeBytes(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>A list of items that are already RLP-encoded.</summary>
    public static byte[] EncodeList(params IReadOnlyList<byte[]> encodedItems)
    {
        var payloadLength = 0;
        foreach (var item in encodedItems)
        {
            payloadLength = checked(payloadLength + item.Length);
        }
        var encoded = new byte[PrefixLength(payloadLength) + payloadLength];
        var position = WritePrefix(encoded, EmptyList, payloadLength);
        foreach (var item in encodedItems)
        {
            item.CopyTo(encoded, position);
            position += item.Length;
        }
        return encoded;
    }

    /// <summary>Encodes a decoded item again; for canonical input, the bytes it was decoded from.</summary>
    public static byte[] Encode(RlpItem item) =>
        item.IsList ? EncodeList(item.Items.Select(Encode).ToArray()) : EncodeBytes(item.Bytes.Span);

    private static int PrefixLength(int payloadLength) =>
        payloadLength <= ShortPayloadLimit ? 1 : 1 + WithoutLeadingZeros((ulong)payloadLength).Length;

    private static int WritePrefix(Span<byte> destination, byte offset, int payloadLength)
    {
        if (payloadLength <= ShortPayloadLimit)
        {
            destination[0] = (byte)(offset + payloadLength);
            return 1;
        }
        var length = WithoutLeadingZeros((ulong)payloadLength);
        destination[0] = (byte)(offset + ShortPayloadLimit + length.Length);
        length.CopyTo(destination[1..]);
        return 1 + length.Length;
    }

    private static byte[] WithoutLeadingZeros(ulong value)
    {
        var length = (71 - BitOperations.LeadingZeroCount(value)) / 8;
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }
        return bytes;
    }
}
