using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>
/// The JSON-RPC encodings: quantities as "0x" hex without leading zeros ("0x0" for zero), data as "0x" hex
/// of whole bytes. Reading a field that is missing or malformed throws an <see cref="L1ProtocolException"/> naming it.
/// </summary>
internal static class RpcJson
{
    public static string Quantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static string Quantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "quantities are non-negative");
        }
        var digits = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return "0x" + (digits.Length == 0 ? "0" : digits);
    }

    public static string Data(ReadOnlySpan<byte> bytes) => Hex.ToHex(bytes);

    public static ulong ParseQuantity(string method, string field, string? text)
    {
        var value = ParseBigQuantity(method, field, text);
        return value <= ulong.MaxValue ? (ulong)value : throw Malformed(method, field, text, "exceeds 64 bits");
    }

    public static BigInteger ParseBigQuantity(string method, string field, string? text)
    {
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal) || text.Length < 3 || text.Length > 2 + 64
            || !BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw Malformed(method, field, text, "expected a hex quantity");
        }
        return value;
    }

    public static ulong Quantity(string method, JsonElement json, string field) => ParseQuantity(method, field, String(method, json, field));

    public static ulong? OptionalQuantity(string method, JsonElement json, string field) =>
        OptionalString(json, field) is { } text ? ParseQuantity(method, field, text) : null;

    public static BigInteger BigQuantity(string method, JsonElement json, string field) => ParseBigQuantity(method, field, String(method, json, field));

    public static BigInteger? OptionalBigQuantity(string method, JsonElement json, string field) =>
        OptionalString(json, field) is { } text ? ParseBigQuantity(method, field, text) : null;

    public static Hash256 Hash(string method, JsonElement json, string field) => ParseHash(method, field, String(method, json, field));

    public static Hash256? OptionalHash(string method, JsonElement json, string field) =>
        OptionalString(json, field) is { } text ? ParseHash(method, field, text) : null;

    public static Hash256 ParseHash(string method, string field, string? text) =>
        Hash256.TryParse(text, out var hash) && text.StartsWith("0x", StringComparison.Ordinal) ? hash : throw Malformed(method, field, text, "expected a 32-byte hash");

    public static Address Address(string method, JsonElement json, string field) => ParseAddress(method, field, String(method, json, field));

    public static Address? OptionalAddress(string method, JsonElement json, string field) =>
        OptionalString(json, field) is { } text ? ParseAddress(method, field, text) : null;

    public static byte[] Bytes(string method, JsonElement json, string field) => ParseBytes(method, field, String(method, json, field));

    public static byte[] ParseBytes(string method, string field, string? text) =>
        text is not null && text.StartsWith("0x", StringComparison.Ordinal) && Hex.TryParse(text, out var bytes) ? bytes : throw Malformed(method, field, text, "expected hex data");

    public static bool Bool(string method, JsonElement json, string field) =>
        Property(method, json, field) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : throw Malformed(method, field, json.ToString(), "expected true or false");

    public static JsonElement Property(string method, JsonElement json, string field)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new L1ProtocolException($"{method}: expected an object with '{field}', got {Truncate(json.GetRawText())}") { Method = method };
        }
        return json.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new L1ProtocolException($"{method}: '{field}' is missing from the result") { Method = method };
    }

    public static JsonElement Array(string method, JsonElement json, string field)
    {
        var value = Property(method, json, field);
        return value.ValueKind == JsonValueKind.Array ? value : throw Malformed(method, field, value.GetRawText(), "expected an array");
    }

    public static string String(string method, JsonElement json, string field)
    {
        var value = Property(method, json, field);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Malformed(method, field, value.GetRawText(), "expected a string");
    }

    private static Address ParseAddress(string method, string field, string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) && Primitives.Address.TryParse(text, out var address) ? address : throw Malformed(method, field, text, "expected an address");

    private static string? OptionalString(JsonElement json, string field) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static L1ProtocolException Malformed(string method, string field, string? text, string expected) =>
        new($"{method}: '{field}' is {(text is null ? "missing" : $"'{Truncate(text)}'")}: {expected}") { Method = method };

    public static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
