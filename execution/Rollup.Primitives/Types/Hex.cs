using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Rollup.Primitives;

/// <summary>Hex text as Ethereum writes it: an optional <c>0x</c> prefix, two digits a byte.</summary>
public static class Hex
{
    /// <summary><c>0x</c> followed by lowercase digits.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>Parses hex into exactly <paramref name="destination"/>.Length bytes; false on any other length or a non-hex digit.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, Span<byte> destination)
    {
        text = StripPrefix(text);
        if (text.Length != destination.Length * 2)
        {
            return false;
        }
        return Convert.FromHexString(text, destination, out _, out var written) == OperationStatus.Done
            && written == destination.Length;
    }

    /// <summary>Parses hex of any even length.</summary>
    public static byte[] Parse(string text)
    {
        if (!TryParse(text, out var bytes))
        {
            throw new FormatException($"not a hex string: '{Truncate(text)}'");
        }
        return bytes;
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text is null)
        {
            return false;
        }
        var digits = StripPrefix(text.AsSpan());
        if (digits.Length % 2 != 0)
        {
            return false;
        }
        var result = new byte[digits.Length / 2];
        if (!TryParse(digits, result))
        {
            return false;
        }
        bytes = result;
        return true;
    }

    internal static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;

    internal static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
