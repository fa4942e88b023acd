namespace Rollup.Bridge.L1;

/// <summary>
/// Decodes one RLP item that must span the whole input. Bounded: every length is checked against the
/// bytes that remain before anything is allocated, nesting is limited, and so is the number of items.
/// Only the canonical encoding is accepted (shortest length prefix; a single byte below 0x80 as itself).
/// </summary>
public static class RlpDecoder
{
    public const int DefaultMaxDepth = 16;
    public const int DefaultMaxItems = 1 << 16;

    public static RlpItem Decode(ReadOnlySpan<byte> input, int maxDepth = DefaultMaxDepth, int maxItems = DefaultMaxItems)
    {
        var state = new DecodeState(maxDepth, maxItems);
        var position = 0;
        var item = ReadItem(input, ref position, 0, ref state);
        if (position != input.Length)
        {
            throw new RlpException($"{input.Length - position} bytes after the item at offset {position}");
        }
        return item;
    }

    private static RlpItem ReadItem(ReadOnlySpan<byte> input, ref int position, int depth, ref DecodeState state)
    {
        if (++state.Items > state.MaxItems)
        {
            throw new RlpException($"more than {state.MaxItems} items");
        }
        if (position >= input.Length)
        {
            throw new RlpException($"input ends at offset {position} where an item was expected");
        }
        var start = position;
        var prefix = input[position++];
        if (prefix < Rlp.EmptyString)
        {
            return RlpItem.String(input.Slice(start, 1));
        }
        var isList = prefix >= Rlp.EmptyList;
        var length = ReadLength(input, ref position, (byte)(prefix - (isList ? Rlp.EmptyList : Rlp.EmptyString)), start);
        if (length > input.Length - position)
        {
            throw new RlpException($"item at offset {start} claims {length} bytes, {input.Length - position} remain");
        }
        var payload = input.Slice(position, length);
        position += length;
        if (!isList)
        {
            if (length == 1 && payload[0] < 0x80)
            {
                throw new RlpException($"single byte 0x{payload[0]:x2} at offset {start} must be encoded as itself");
            }
            return RlpItem.String(payload);
        }
        if (depth + 1 > state.MaxDepth)
        {
            throw new RlpException($"lists nested deeper than {state.MaxDepth}");
        }
        var items = new List<RlpItem>();
        var inner = 0;
        while (inner < payload.Length)
        {
            items.Add(ReadItem(payload, ref inner, depth + 1, ref state));
        }
        return RlpItem.List(items);
    }

    /// <summary>Reads the payload length that follows the prefix: short form (0..55) or long form (length of the length).</summary>
    private static int ReadLength(ReadOnlySpan<byte> input, ref int position, byte sizeCode, int start)
    {
        if (sizeCode <= Rlp.ShortPayloadLimit)
        {
            return sizeCode;
        }
        var lengthOfLength = sizeCode - Rlp.ShortPayloadLimit;
        if (lengthOfLength > input.Length - position)
        {
            throw new RlpException($"length of the item at offset {start} is cut off");
        }
        var lengthBytes = input.Slice(position, lengthOfLength);
        position += lengthOfLength;
        if (lengthBytes[0] == 0)
        {
            throw new RlpException($"length of the item at offset {start} has a leading zero byte");
        }
        ulong length = 0;
        foreach (var b in lengthBytes)
        {
            length = (length << 8) | b;
        }
        if (length <= Rlp.ShortPayloadLimit)
        {
            throw new RlpException($"item at offset {start} uses the long form for {length} bytes");
        }
        return length > int.MaxValue ? throw new RlpException($"item at offset {start} claims {length} bytes") : (int)length;
    }

    private struct DecodeState(int maxDepth, int maxItems)
    {
        public readonly int MaxDepth = maxDepth;
        public readonly int MaxItems = maxItems;
        public int Items;
    }
}
