using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Rollup.Primitives.Hashing;

namespace Rollup.Primitives.Eip712;

/// <summary>One member of an EIP-712 struct type, e.g. <c>("to", "Person")</c>.</summary>
public sealed record TypedDataField(string Name, string Type);

/// <summary>
/// A general EIP-712 encoder (encodeType, typeHash, hashStruct) over type definitions given at run
/// time: for tools, tests and typed data received as JSON. The hot paths hash their fixed types with
/// <see cref="AbiWords"/> instead, and are checked against this.
/// </summary>
/// <remarks>
/// Values may be CLR values (string, bool, integers, <see cref="BigInteger"/>, byte[], <see cref="Address"/>,
/// <see cref="Hash256"/>, dictionaries for structs, enumerables for arrays) or <see cref="JsonElement"/>s as
/// in eth_signTypedData_v4. Integers may be given as decimal or 0x-hex strings.
/// </remarks>
public sealed class TypedDataEncoder
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> _types;

    public TypedDataEncoder(IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types)
    {
        _types = types;
    }

    /// <summary>The primary type, then every struct type it references, sorted by name.</summary>
    public string EncodeType(string primaryType)
    {
        RequireStruct(primaryType);
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primaryType, dependencies);
        dependencies.Remove(primaryType);
        var text = new StringBuilder();
        AppendType(text, primaryType);
        foreach (var dependency in dependencies)
        {
            AppendType(text, dependency);
        }
        return text.ToString();
    }

    public Hash256 TypeHash(string primaryType) => Keccak256.Compute(Encoding.UTF8.GetBytes(EncodeType(primaryType)));

    public Hash256 HashStruct(string type, object? value)
    {
        RequireStruct(type);
        var fields = _types[type];
        var encoded = new byte[(fields.Count + 1) * AbiWords.WordLength];
        TypeHash(type).CopyTo(encoded);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (!TryGetMember(value, field.Name, out var member))
            {
                throw new FormatException($"{type}.{field.Name} is missing");
            }
            EncodeValue(field.Type, member, encoded.AsSpan((i + 1) * AbiWords.WordLength, AbiWords.WordLength), $"{type}.{field.Name}");
        }
        return Keccak256.Compute(encoded);
    }

    /// <summary>The full signing digest, with the domain hashed as the <c>EIP712Domain</c> type defined in these types.</summary>
    public Hash256 Digest(object? domain, string primaryType, object? message) =>
        TypedDataDigest.Compute(HashStruct("EIP712Domain", domain), HashStruct(primaryType, message));

    private void EncodeValue(string type, object? value, Span<byte> word, string path)
    {
        if (type.EndsWith(']'))
        {
            EncodeArray(type, value, word, path);
            return;
        }
        if (_types.ContainsKey(type))
        {
            HashStruct(type, value).CopyTo(word);
            return;
        }
        word.Clear();
        switch (type)
        {
            case "string":
                Keccak256.Compute(Encoding.UTF8.GetBytes(AsString(value, path)), word);
                return;
            case "bytes":
                Keccak256.Compute(AsBytes(value, path), word);
                return;
            case "bool":
                word[31] = AsBool(value, path) ? (byte)1 : (byte)0;
                return;
            case "address":
                AsAddress(value, path).CopyTo(word[12..]);
                return;
        }
        if (type.StartsWith("bytes", StringComparison.Ordinal) && TryBits(type, "bytes", out var size) && size is >= 1 and <= 32)
        {
            var bytes = AsBytes(value, path);
            if (bytes.Length != size)
            {
                throw new FormatException($"{path}: {type} needs {size} bytes, got {bytes.Length}");
            }
            bytes.CopyTo(word);
            return;
        }
        if (TryBits(type, "uint", out var bits) && IsIntegerWidth(bits))
        {
            var number = AsInteger(value, path);
            if (number.Sign < 0 || number >= BigInteger.One << bits)
            {
                throw new FormatException($"{path}: {number} does not fit {type}");
            }
            WriteTwosComplement(number, word);
            return;
        }
        if (TryBits(type, "int", out bits) && IsIntegerWidth(bits))
        {
            var number = AsInteger(value, path);
            var limit = BigInteger.One << (bits - 1);
            if (number < -limit || number >= limit)
            {
                throw new FormatException($"{path}: {number} does not fit {type}");
            }
            WriteTwosComplement(number, word);
            return;
        }
        throw new FormatException($"{path}: unknown type '{type}'");
    }

    private void EncodeArray(string type, object? value, Span<byte> word, string path)
    {
        var open = type.LastIndexOf('[');
        var elementType = type[..open];
        var lengthText = type[(open + 1)..^1];
        var items = AsList(value, path);
        if (lengthText.Length > 0 && (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var fixedLength) || fixedLength != items.Count))
        {
            throw new FormatException($"{path}: {type} needs {lengthText} items, got {items.Count}");
        }
        var encoded = new byte[items.Count * AbiWords.WordLength];
        for (var i = 0; i < items.Count; i++)
        {
            EncodeValue(elementType, items[i], encoded.AsSpan(i * AbiWords.WordLength, AbiWords.WordLength), $"{path}[{i}]");
        }
        Keccak256.Compute(encoded, word);
    }

    private void CollectDependencies(string type, SortedSet<string> found)
    {
        var baseType = type;
        var bracket = baseType.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            baseType = baseType[..bracket];
        }
        if (!_types.TryGetValue(baseType, out var fields) || !found.Add(baseType))
        {
            return;
        }
        foreach (var field in fields)
        {
            CollectDependencies(field.Type, found);
        }
    }

    private void AppendType(StringBuilder text, string type)
    {
        text.Append(type).Append('(');
        var fields = _types[type];
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(fields[i].Type).Append(' ').Append(fields[i].Name);
        }
        text.Append(')');
    }

    private void RequireStruct(string type)
    {
        if (!_types.ContainsKey(type))
        {
            throw new FormatException($"unknown struct type '{type}'");
        }
    }

    private static bool TryBits(string type, string prefix, out int bits)
    {
        bits = 0;
        return type.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(type.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out bits);
    }

    private static bool IsIntegerWidth(int bits) => bits is >= 8 and <= 256 && bits % 8 == 0;

    private static void WriteTwosComplement(BigInteger number, Span<byte> word)
    {
        word.Fill(number.Sign < 0 ? (byte)0xFF : (byte)0);
        var length = number.GetByteCount(isUnsigned: number.Sign >= 0);
        number.TryWriteBytes(word[(32 - length)..], out _, isUnsigned: number.Sign >= 0, isBigEndian: true);
    }

    private static bool TryGetMember(object? value, string name, out object? member)
    {
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Object } json when json.TryGetProperty(name, out var property):
                member = property;
                return true;
            case IReadOnlyDictionary<string, object?> dictionary when dictionary.TryGetValue(name, out member):
                return true;
            default:
                member = null;
                return false;
        }
    }

    private static List<object?> AsList(object? value, string path)
    {
        var list = new List<object?>();
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Array } json:
                foreach (var item in json.EnumerateArray())
                {
                    list.Add(item);
                }
                return list;
            case IEnumerable items and not string and not byte[]:
                foreach (var item in items)
                {
                    list.Add(item);
                }
                return list;
            default:
                throw new FormatException($"{path}: expected an array");
        }
    }

    private static string AsString(object? value, string path) => value switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString()!,
        _ => throw new FormatException($"{path}: expected a string"),
    };

    private static bool AsBool(object? value, string path) => value switch
    {
        bool flag => flag,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        _ => throw new FormatException($"{path}: expected a bool"),
    };

    private static byte[] AsBytes(object? value, string path) => value switch
    {
        byte[] bytes => bytes,
        Hash256 hash => hash.ToArray(),
        _ when Hex.TryParse(TextOf(value), out var parsed) => parsed,
        _ => throw new FormatException($"{path}: expected hex bytes"),
    };

    private static Address AsAddress(object? value, string path) => value switch
    {
        Address address => address,
        _ when Address.TryParse(TextOf(value), out var parsed) => parsed,
        _ => throw new FormatException($"{path}: expected an address"),
    };

    private static BigInteger AsInteger(object? value, string path)
    {
        switch (value)
        {
            case BigInteger big:
                return big;
            case long or int or short or sbyte:
                return new BigInteger(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ulong or uint or ushort or byte:
                return new BigInteger(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
            case JsonElement { ValueKind: JsonValueKind.Number } json:
                return ParseInteger(json.GetRawText(), path);
            default:
                var text = TextOf(value);
                return text is null ? throw new FormatException($"{path}: expected an integer") : ParseInteger(text, path);
        }
    }

    private static BigInteger ParseInteger(string text, string path)
    {
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        BigInteger result;
        var ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? BigInteger.TryParse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result)
            : BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out result);
        if (!ok)
        {
            throw new FormatException($"{path}: '{Hex.Truncate(text)}' is not an integer");
        }
        return negative ? -result : result;
    }

    private static string? TextOf(object? value) => value switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
        _ => null,
    };
}
