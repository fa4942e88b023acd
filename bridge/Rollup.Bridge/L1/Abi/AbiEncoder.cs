using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>
/// The Solidity ABI encoding (the contract ABI specification, "Formal Specification of the Encoding"):
/// a list of values is encoded as a tuple, static parts in the head, dynamic parts in the tail behind offsets.
/// See <see cref="AbiType"/> for the .NET values each type takes.
/// </summary>
public static class AbiEncoder
{
    /// <summary>Encodes values as the tuple of <paramref name="types"/> (function arguments, return values, event data).</summary>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        if (types.Count != values.Count)
        {
            throw new AbiException($"{types.Count} types but {values.Count} values");
        }
        return EncodeSequence(types, values);
    }

    /// <summary>Encodes one value as a single-element tuple, which is how it appears as an argument.</summary>
    public static byte[] Encode(AbiType type, object? value) => EncodeSequence([type], [value]);

    /// <summary>
    /// The 32-byte topic of an indexed event parameter of a static type: the value's one-word encoding.
    /// (Indexed dynamic values are hashed by Solidity in a packed form that this encoder does not produce.)
    /// </summary>
    public static Hash256 EncodeTopic(AbiType type, object? value)
    {
        if (type.IsDynamic || type.HeadLength != AbiType.WordLength)
        {
            throw new AbiException($"topic of {type}: only single-word static types are supported");
        }
        return new Hash256(EncodeValue(type, value));
    }

    private static byte[] EncodeSequence(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        var headLength = types.Sum(t => t.HeadLength);
        var head = new List<byte[]>(types.Count);
        var tail = new List<byte[]>();
        var tailLength = 0;
        for (var i = 0; i < types.Count; i++)
        {
            var encoded = EncodeValue(types[i], values[i], i);
            if (types[i].IsDynamic)
            {
                head.Add(UIntWord(headLength + tailLength));
                tail.Add(encoded);
                tailLength += encoded.Length;
            }
            else
            {
                head.Add(encoded);
            }
        }
        return [.. head.SelectMany(part => part), .. tail.SelectMany(part => part)];
    }

    private static byte[] EncodeValue(AbiType type, object? value, int index = 0)
    {
        try
        {
            return type switch
            {
                AbiUIntType u => UIntWord(ToInteger(value), u.Bits),
                AbiIntType s => IntWord(ToInteger(value), s.Bits),
                AbiAddressType => AddressWord(value),
                AbiBoolType => UIntWord(value is bool b ? (b ? 1 : 0) : throw Mismatch(type, value)),
                AbiFixedBytesType f => FixedBytesWord(ToBytes(type, value), f.Length),
                AbiBytesType => DynamicBytes(ToBytes(type, value)),
                AbiStringType => DynamicBytes(value is string s ? Encoding.UTF8.GetBytes(s) : throw Mismatch(type, value)),
                AbiArrayType a => EncodeArray(a, ToList(type, value)),
                AbiFixedArrayType f => EncodeFixedArray(f, ToList(type, value)),
                AbiTupleType t => EncodeTuple(t, ToList(type, value)),
                _ => throw new AbiException($"no encoding for {type}"),
            };
        }
        catch (AbiException e)
        {
            // Say where in a nested value the problem is: "[1][0] uint64: -1 is out of range".
            throw new AbiException($"[{index}]{(e.Message.StartsWith('[') ? "" : " ")}{e.Message}", e);
        }
    }

    private static byte[] EncodeArray(AbiArrayType type, IReadOnlyList<object?> items) =>
        [.. UIntWord(items.Count), .. EncodeSequence(Enumerable.Repeat(type.Element, items.Count).ToArray(), items)];

    private static byte[] EncodeFixedArray(AbiFixedArrayType type, IReadOnlyList<object?> items) =>
        items.Count == type.Length
            ? EncodeSequence(Enumerable.Repeat(type.Element, items.Count).ToArray(), items)
            : throw new AbiException($"{type} takes {type.Length} elements, got {items.Count}");

    private static byte[] EncodeTuple(AbiTupleType type, IReadOnlyList<object?> items) =>
        items.Count == type.Components.Count
            ? EncodeSequence(type.Components, items)
            : throw new AbiException($"{type} has {type.Components.Count} components, got {items.Count} values");

    private static byte[] DynamicBytes(byte[] bytes)
    {
        var padded = (bytes.Length + AbiType.WordLength - 1) / AbiType.WordLength * AbiType.WordLength;
        var encoded = new byte[AbiType.WordLength + padded];
        UIntWord(bytes.Length).CopyTo(encoded, 0);
        bytes.CopyTo(encoded, AbiType.WordLength);
        return encoded;
    }

    private static byte[] FixedBytesWord(byte[] bytes, int length)
    {
        if (bytes.Length != length)
        {
            throw new AbiException($"bytes{length} takes exactly {length} bytes, got {bytes.Length}");
        }
        var word = new byte[AbiType.WordLength];
        bytes.CopyTo(word, 0);
        return word;
    }

    private static byte[] AddressWord(object? value)
    {
        if (value is not Address address)
        {
            throw Mismatch(AbiType.Address, value);
        }
        var word = new byte[AbiType.WordLength];
        address.CopyTo(word.AsSpan(12));
        return word;
    }

    private static byte[] UIntWord(BigInteger value, int bits = 256)
    {
        if (value.Sign < 0 || value.GetBitLength() > bits)
        {
            throw new AbiException($"uint{bits}: {value} is out of range");
        }
        var word = new byte[AbiType.WordLength];
        value.TryWriteBytes(word.AsSpan(AbiType.WordLength - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return word;
    }

    private static byte[] IntWord(BigInteger value, int bits)
    {
        var limit = BigInteger.One << (bits - 1);
        if (value < -limit || value >= limit)
        {
            throw new AbiException($"int{bits}: {value} is out of range");
        }
        // Two's complement in 256 bits: a negative value is 2^256 + value.
        return UIntWord(value.Sign < 0 ? (BigInteger.One << 256) + value : value);
    }

    private static BigInteger ToInteger(object? value) => value switch
    {
        BigInteger b => b,
        ulong u => u,
        long l => l,
        uint u => u,
        int i => i,
        ushort u => u,
        short s => s,
        byte b => b,
        sbyte s => s,
        UInt128 u => u,
        Int128 i => i,
        _ => throw new AbiException($"expected an integer, got {Describe(value)}"),
    };

    private static byte[] ToBytes(AbiType type, object? value) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.ToArray(),
        Memory<byte> memory => memory.ToArray(),
        Hash256 hash => hash.ToArray(),
        _ => throw Mismatch(type, value),
    };

    private static IReadOnlyList<object?> ToList(AbiType type, object? value) => value switch
    {
        IReadOnlyList<object?> list => list,
        ITuple tuple when type is AbiTupleType => Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).ToArray(),
        string or byte[] => throw Mismatch(type, value),
        IEnumerable items => items.Cast<object?>().ToArray(),
        _ => throw Mismatch(type, value),
    };

    private static AbiException Mismatch(AbiType type, object? value) => new($"{type} cannot take {Describe(value)}");

    private static string Describe(object? value) => value is null ? "null" : $"a {value.GetType().Name} ({value})";
}
