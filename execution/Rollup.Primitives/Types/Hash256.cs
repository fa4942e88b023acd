using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rollup.Primitives;

/// <summary>A 32-byte hash, held and compared as one 256-bit vector.</summary>
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>, ISpanFormattable
{
    public const int Length = 32;

    private readonly Vector256<byte> _bytes;

    public static Hash256 Zero => default;

    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            ThrowLength(bytes.Length);
        }
        _bytes = Vector256.Create(bytes);
    }

    /// <summary>The 32 bytes, big-endian as on the wire.</summary>
    /// <remarks>[UnscopedRef]: the compiler knows the span is this value's own storage, so it keeps a temporary (such
    /// as <c>Compute(x).Bytes</c>) alive while the span is used and refuses a span that would outlive its value.
    /// Without it, two temporaries of one call shared a slot and the first span read the second value.</remarks>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector256<byte>, byte>(ref Unsafe.AsRef(in _bytes)), Length);

    public bool IsZero => _bytes == Vector256<byte>.Zero;

    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    public byte[] ToArray() => Bytes.ToArray();

    public static Hash256 Parse(string text) =>
        TryParse(text, out var hash) ? hash : throw new FormatException($"not a 32-byte hex hash: '{Hex.Truncate(text)}'");

    public static bool TryParse([NotNullWhen(true)] string? text, out Hash256 hash)
    {
        Span<byte> bytes = stackalloc byte[Length];
        if (text is null || !Hex.TryParse(text, bytes))
        {
            hash = default;
            return false;
        }
        hash = new Hash256(bytes);
        return true;
    }

    public bool Equals(Hash256 other) => _bytes == other._bytes;

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    /// <summary>Byte-wise order, the order of the keys as big-endian numbers and of their tree paths.</summary>
    public int CompareTo(Hash256 other) => Bytes.SequenceCompareTo(other.Bytes);

    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;

    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;

    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;

    public override int GetHashCode() => _bytes.AsInt32().GetElement(0);

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    public override string ToString() => Hex.ToHex(Bytes);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (destination.Length < 2 + (Length * 2))
        {
            return false;
        }
        destination[0] = '0';
        destination[1] = 'x';
        Convert.TryToHexStringLower(Bytes, destination[2..], out var written);
        charsWritten = 2 + written;
        return true;
    }

    [DoesNotReturn]
    private static void ThrowLength(int length) =>
        throw new ArgumentException($"a hash is {Length} bytes, got {length}");
}
