using System.Numerics;
using System.Text;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>
/// Decodes the Solidity ABI encoding into the values described on <see cref="AbiType"/>. The data is
/// untrusted: every offset and length is checked against the data before it is used, an array cannot
/// claim more elements than the remaining bytes could hold, and values must be in their type's range
/// with clean padding (as Solidity's own decoder requires). Offsets may point anywhere in the data, but
/// the number of values decoded is capped at one per 32-byte word of data, so that many offsets pointing
/// at one array cannot multiply the output. Bytes after the encoding are ignored.
/// </summary>
public static class AbiDecoder
{
    /// <summary>Decodes the tuple of <paramref name="types"/> at the start of <paramref name="data"/>.</summary>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data) =>
        DecodeSequence(types, data, 0, new Budget(data.Length / AbiType.WordLength));

    /// <summary>Decodes one value encoded as a single-element tuple.</summary>
    public static object? Decode(AbiType type, ReadOnlySpan<byte> data) => Decode([type], data)[0];

    /// <summary>
    /// Decodes a sequence (tuple components or array elements) whose encoding starts at <paramref name="start"/>;
    /// offsets of dynamic members are relative to that start.
    /// </summary>
    private static object?[] DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, Budget budget)
    {
        var values = new object?[types.Count];
        var headPosition = start;
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            try
            {
                if (type.IsDynamic)
                {
                    var offset = ReadLength(data, headPosition, "offset");
                    if (offset > data.Length - start)
                    {
                        throw new AbiException($"offset {offset} points past the end of the data");
                    }
                    values[i] = DecodeValue(type, data, start + offset, budget);
                }
                else
                {
                    values[i] = DecodeValue(type, data, headPosition, budget);
                }
            }
            catch (AbiException e)
            {
                throw new AbiException($"[{i}]{(e.Message.StartsWith('[') ? "" : " ")}{e.Message}", e);
            }
            headPosition += type.HeadLength;
        }
        return values;
    }

    private static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, int position, Budget budget)
    {
        var value = type switch
        {
            AbiUIntType u => DecodeUInt(Word(data, position), u.Bits),
            AbiIntType s => DecodeInt(Word(data, position), s.Bits),
            AbiAddressType => DecodeAddress(Word(data, position)),
            AbiBoolType => DecodeBool(Word(data, position)),
            AbiFixedBytesType f => DecodeFixedBytes(Word(data, position), f.Length),
            AbiBytesType => DecodeDynamicBytes(data, position).ToArray(),
            AbiStringType => DecodeString(DecodeDynamicBytes(data, position)),
            AbiArrayType a => DecodeArray(a, data, position, budget),
            AbiFixedArrayType f => DecodeSequence(Enumerable.Repeat(f.Element, f.Length).ToArray(), data, position, budget),
            AbiTupleType t => DecodeSequence(t.Components, data, position, budget),
            _ => throw new AbiException($"no decoding for {type}"),
        };
        // Tuples and fixed arrays are counted through their members; what occupies words of its own counts itself.
        if (type is not (AbiTupleType or AbiFixedArrayType))
        {
            budget.Spend();
        }
        return value;
    }

    private static object?[] DecodeArray(AbiArrayType type, ReadOnlySpan<byte> data, int position, Budget budget)
    {
        var count = ReadLength(data, position, "array length");
        var start = position + AbiType.WordLength;
        // Each element takes at least its head in the sequence: a count the data cannot hold is refused before allocating.
        if (count > (data.Length - start) / type.Element.HeadLength)
        {
            throw new AbiException($"array of {count} {type.Element} elements does not fit in {data.Length - start} bytes");
        }
        return DecodeSequence(Enumerable.Repeat(type.Element, count).ToArray(), data, start, budget);
    }

    private static ReadOnlySpan<byte> DecodeDynamicBytes(ReadOnlySpan<byte> data, int position)
    {
        var length = ReadLength(data, position, "byte length");
        var start = position + AbiType.WordLength;
        var padded = (long)(length + AbiType.WordLength - 1) / AbiType.WordLength * AbiType.WordLength;
        if (padded > data.Length - start)
        {
            throw new AbiException($"{length} bytes (padded to {padded}) do not fit in the {data.Length - start} bytes left");
        }
        if (data.Slice(start + length, (int)padded - length).IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new AbiException("non-zero padding after the bytes");
        }
        return data.Slice(start, length);
    }

    private static string DecodeString(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new AbiException("string is not valid UTF-8", e);
        }
    }

    private static object DecodeUInt(ReadOnlySpan<byte> word, int bits)
    {
        var value = new BigInteger(word, isUnsigned: true, isBigEndian: true);
        if (value.GetBitLength() > bits)
        {
            throw new AbiException($"uint{bits}: 0x{Convert.ToHexStringLower(word)} is out of range");
        }
        // Widths up to 64 bits come out as ulong, the native type of block numbers, indexes and amounts.
        if (bits <= 64)
        {
            return ulong.CreateChecked(value);
        }
        return value;
    }

    private static object DecodeInt(ReadOnlySpan<byte> word, int bits)
    {
        var value = new BigInteger(word, isUnsigned: false, isBigEndian: true);
        var limit = BigInteger.One << (bits - 1);
        if (value < -limit || value >= limit)
        {
            throw new AbiException($"int{bits}: 0x{Convert.ToHexStringLower(word)} is out of range (not sign-extended)");
        }
        if (bits <= 64)
        {
            return long.CreateChecked(value);
        }
        return value;
    }

    private static Address DecodeAddress(ReadOnlySpan<byte> word)
    {
        if (word[..12].IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new AbiException($"address: 0x{Convert.ToHexStringLower(word)} has non-zero high bytes");
        }
        return new Address(word[12..]);
    }

    private static bool DecodeBool(ReadOnlySpan<byte> word)
    {
        if (word[..31].IndexOfAnyExcept((byte)0) >= 0 || word[31] > 1)
        {
            throw new AbiException($"bool: 0x{Convert.ToHexStringLower(word)} is neither 0 nor 1");
        }
        return word[31] == 1;
    }

    private static object DecodeFixedBytes(ReadOnlySpan<byte> word, int length)
    {
        if (word[length..].IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new AbiException($"bytes{length}: 0x{Convert.ToHexStringLower(word)} has non-zero padding");
        }
        return length == Hash256.Length ? new Hash256(word) : word[..length].ToArray();
    }

    /// <summary>An offset or length: a uint256 that must also be a usable index into the data.</summary>
    private static int ReadLength(ReadOnlySpan<byte> data, int position, string what)
    {
        var word = Word(data, position);
        if (word[..28].IndexOfAnyExcept((byte)0) >= 0 || word[28] >= 0x80)
        {
            throw new AbiException($"{what} 0x{Convert.ToHexStringLower(word).TrimStart('0')} is too large");
        }
        return (word[28] << 24) | (word[29] << 16) | (word[30] << 8) | word[31];
    }

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> data, int position)
    {
        if (position < 0 || position > data.Length - AbiType.WordLength)
        {
            throw new AbiException($"data ends before the word at offset {position} ({data.Length} bytes)");
        }
        return data.Slice(position, AbiType.WordLength);
    }

    private sealed class Budget(int words)
    {
        private readonly int _words = words;
        private int _spent;

        public void Spend()
        {
            if (++_spent > _words)
            {
                throw new AbiException($"more values than the {_words} words of data could hold (offsets point at shared data)");
            }
        }
    }
}
