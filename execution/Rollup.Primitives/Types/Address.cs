using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Rollup.Primitives.Hashing;

namespace Rollup.Primitives;

/// <summary>A 20-byte account address, printed with its EIP-55 mixed-case checksum.</summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Length = 20;

    private readonly AddressBytes _bytes;

    public static Address Zero => default;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            ThrowLength(bytes.Length);
        }
        bytes.CopyTo(_bytes);
    }

    /// <summary>The 20 bytes. Like any span over a struct, do not keep it beyond the value it came from.</summary>
    /// <remarks>[UnscopedRef]: the compiler knows the span is this value's own storage, so it keeps a temporary (such
    /// as <c>Compute(x).Bytes</c>) alive while the span is used and refuses a span that would outlive its value.
    /// Without it, two temporaries of one call shared a slot and the first span read the second value.</remarks>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<AddressBytes, byte>(ref Unsafe.AsRef(in _bytes)), Length);

    public bool IsZero => Equals(Zero);

    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>The address of an uncompressed public key: the last 20 bytes of Keccak-256 over its 64 coordinate bytes.</summary>
    public static Address FromPublicKey(ReadOnlySpan<byte> uncompressedXY)
    {
        if (uncompressedXY.Length != 64)
        {
            throw new ArgumentException($"an uncompressed public key without prefix is 64 bytes, got {uncompressedXY.Length}", nameof(uncompressedXY));
        }
        Span<byte> hash = stackalloc byte[Keccak256.HashLength];
        Keccak256.Compute(uncompressedXY, hash);
        return new Address(hash[12..]);
    }

    /// <summary>
    /// Parses 40 hex digits (with or without 0x). All-lowercase and all-uppercase are accepted;
    /// mixed case must be a correct EIP-55 checksum, since mixed case claims one.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Address address)
    {
        address = default;
        if (text is null)
        {
            return false;
        }
        var digits = Hex.StripPrefix(text);
        Span<byte> bytes = stackalloc byte[Length];
        if (!Hex.TryParse(digits, bytes))
        {
            return false;
        }
        var parsed = new Address(bytes);
        if (HasMixedCase(digits) && !digits.SequenceEqual(parsed.ToChecksumDigits()))
        {
            return false;
        }
        address = parsed;
        return true;
    }

    public static Address Parse(string text) =>
        TryParse(text, out var address)
            ? address
            : throw new FormatException($"not an address (40 hex digits, EIP-55 checksum if mixed case): '{Hex.Truncate(text)}'");

    /// <summary>EIP-55: a hex letter is upper case when the matching nibble of Keccak-256(lowercase hex) is 8 or more.</summary>
    public string ToChecksumString() => "0x" + new string(ToChecksumDigits());

    private ReadOnlySpan<char> ToChecksumDigits()
    {
        Span<char> lower = stackalloc char[Length * 2];
        Convert.TryToHexStringLower(Bytes, lower, out _);
        Span<byte> ascii = stackalloc byte[Length * 2];
        for (var i = 0; i < ascii.Length; i++)
        {
            ascii[i] = (byte)lower[i];
        }
        Span<byte> hash = stackalloc byte[Keccak256.HashLength];
        Keccak256.Compute(ascii, hash);
        var result = new char[Length * 2];
        for (var i = 0; i < result.Length; i++)
        {
            var nibble = (i & 1) == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0F;
            result[i] = nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i];
        }
        return result;
    }

    private static bool HasMixedCase(ReadOnlySpan<char> digits) =>
        digits.ContainsAnyInRange('a', 'f') && digits.ContainsAnyInRange('A', 'F');

    public bool Equals(Address other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    /// <summary>Byte-wise order: the deterministic order of accounts wherever state is written or ranked.</summary>
    public int CompareTo(Address other) => Bytes.SequenceCompareTo(other.Bytes);

    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;

    public override int GetHashCode() => BitConverter.ToInt32(Bytes[16..]);

    public static bool operator ==(Address left, Address right) => left.Equals(right);

    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    public override string ToString() => ToChecksumString();

    [DoesNotReturn]
    private static void ThrowLength(int length) =>
        throw new ArgumentException($"an address is {Length} bytes, got {length}");

    [InlineArray(Length)]
    private struct AddressBytes
    {
        private byte _byte;
    }
}
