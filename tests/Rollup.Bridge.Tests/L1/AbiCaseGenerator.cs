using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.L1;

/// <summary>
/// Random ABI types (nested tuples and arrays included) and values for them, from a seed, with the edges
/// weighted in: zero and the extremes of every integer width, lengths around word boundaries, multi-byte UTF-8.
/// </summary>
internal sealed class AbiCaseGenerator(int seed)
{
    private static readonly string[] Fragments = ["a", "word ", "é", "€", "😀", "\u0000", "ß", "日本"];

    private readonly Random _random = new(seed);

    public AbiType Type(int depth = 0)
    {
        var roll = _random.Next(depth >= 3 ? 10 : 14);
        return roll switch
        {
            0 or 1 => AbiType.UInt(8 * _random.Next(1, 33)),
            2 => AbiType.UInt(_random.Next(2) == 0 ? 64 : 256),
            3 => AbiType.Int(8 * _random.Next(1, 33)),
            4 => AbiType.Address,
            5 => AbiType.Bool,
            6 => _random.Next(2) == 0 ? AbiType.Bytes32 : AbiType.FixedBytes(_random.Next(1, 33)),
            7 => AbiType.Bytes,
            8 => AbiType.String,
            9 => AbiType.Int(_random.Next(2) == 0 ? 64 : 256),
            10 or 11 => AbiType.ArrayOf(Type(depth + 1)),
            12 => AbiType.FixedArrayOf(Type(depth + 1), _random.Next(1, 4)),
            _ => AbiType.Tuple(Enumerable.Range(0, _random.Next(1, 5)).Select(_ => Type(depth + 1)).ToArray()),
        };
    }

    public object? Value(AbiType type) => type switch
    {
        AbiUIntType u => UInt(u.Bits),
        AbiIntType s => Int(s.Bits),
        AbiAddressType => new Address(Bytes(Address.Length)),
        AbiBoolType => _random.Next(2) == 1,
        AbiFixedBytesType { Length: 32 } => _random.Next(2) == 0 ? new Hash256(Bytes(32)) : Bytes(32),
        AbiFixedBytesType f => Bytes(f.Length),
        AbiBytesType => Bytes(Length()),
        AbiStringType => Text(),
        AbiArrayType a => Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Value(a.Element)).ToArray(),
        AbiFixedArrayType f => Enumerable.Range(0, f.Length).Select(_ => Value(f.Element)).ToArray(),
        AbiTupleType t => t.Components.Select(Value).ToArray(),
        _ => throw new ArgumentException($"no generator for {type}"),
    };

    /// <summary>A value as ethers takes it and as the oracle returns it: integers as decimal strings, bytes as hex, lists as arrays.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        Address a => JsonValue.Create(a.ToString()),
        Hash256 h => JsonValue.Create(h.ToString()),
        byte[] bytes => JsonValue.Create(Hex.ToHex(bytes)),
        BigInteger n => JsonValue.Create(n.ToString(CultureInfo.InvariantCulture)),
        ulong n => JsonValue.Create(n.ToString(CultureInfo.InvariantCulture)),
        long n => JsonValue.Create(n.ToString(CultureInfo.InvariantCulture)),
        object?[] items => new JsonArray(items.Select(ToJson).ToArray()),
        _ => throw new ArgumentException($"no JSON form for {value.GetType()}"),
    };

    private BigInteger UInt(int bits)
    {
        var max = (BigInteger.One << bits) - 1;
        return _random.Next(6) switch
        {
            0 => BigInteger.Zero,
            1 => max,
            2 => _random.Next(2) == 0 ? BigInteger.One : max - 1,
            3 => new BigInteger(_random.Next(0, 300)) % (max + 1),
            _ => RandomBits(_random.Next(1, bits + 1)),
        };
    }

    private BigInteger Int(int bits)
    {
        var limit = BigInteger.One << (bits - 1);
        return _random.Next(6) switch
        {
            0 => -limit,
            1 => limit - 1,
            2 => _random.Next(2) == 0 ? BigInteger.MinusOne : BigInteger.Zero,
            3 => new BigInteger(_random.Next(-300, 300)) % limit,
            _ => RandomBits(_random.Next(1, bits)) * (_random.Next(2) == 0 ? 1 : -1),
        };
    }

    private BigInteger RandomBits(int bits)
    {
        var bytes = Bytes((bits + 7) / 8);
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return value & ((BigInteger.One << bits) - 1);
    }

    /// <summary>Lengths on both sides of one and two words.</summary>
    private int Length() => _random.Next(4) switch
    {
        0 => 0,
        1 => _random.Next(30, 35),
        2 => _random.Next(62, 67),
        _ => _random.Next(1, 100),
    };

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string Text()
    {
        var text = new StringBuilder();
        for (var i = _random.Next(0, 12); i > 0; i--)
        {
            text.Append(Fragments[_random.Next(Fragments.Length)]);
        }
        return text.ToString();
    }
}
