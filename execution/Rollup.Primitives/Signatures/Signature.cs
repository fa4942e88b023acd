using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rollup.Primitives.Signatures;

/// <summary>A 65-byte secp256k1 signature r ‖ s ‖ v held inline, so a transaction is one flat struct.</summary>
public readonly struct Signature : IEquatable<Signature>
{
    public const int Length = Secp256k1.SignatureLength;

    private readonly SignatureBytes _bytes;

    public Signature(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a signature is {Length} bytes (r, s, v), got {bytes.Length}");
        }
        bytes.CopyTo(_bytes);
    }

    /// <summary>The 65 bytes. Like any span over a struct, do not keep it beyond the value it came from.</summary>
    /// <remarks>[UnscopedRef]: the compiler knows the span is this value's own storage, so it keeps a temporary (such
    /// as <c>Compute(x).Bytes</c>) alive while the span is used and refuses a span that would outlive its value.
    /// Without it, two temporaries of one call shared a slot and the first span read the second value.</remarks>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<SignatureBytes, byte>(ref Unsafe.AsRef(in _bytes)), Length);

    public bool IsEmpty => Bytes.IndexOfAnyExcept((byte)0) < 0;

    public bool Equals(Signature other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is Signature other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    public static bool operator ==(Signature left, Signature right) => left.Equals(right);

    public static bool operator !=(Signature left, Signature right) => !left.Equals(right);

    public override string ToString() => Hex.ToHex(Bytes);

    [InlineArray(Length)]
    private struct SignatureBytes
    {
        private byte _byte;
    }
}
