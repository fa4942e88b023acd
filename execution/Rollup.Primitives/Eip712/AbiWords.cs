using System.Buffers.Binary;

namespace Rollup.Primitives.Eip712;

/// <summary>
/// Writes EIP-712 / ABI 32-byte words into a caller's buffer, so a struct hash is one Keccak over
/// stack memory: <c>var w = new AbiWords(stackalloc byte[32 * n]); w.Hash(typeHash); w.UInt256(x); ...</c>
/// </summary>
public ref struct AbiWords
{
    public const int WordLength = 32;

    private readonly Span<byte> _buffer;
    private int _position;

    public AbiWords(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    /// <summary>An unsigned integer, big-endian, left-padded with zeros.</summary>
    public void UInt256(ulong value)
    {
        var word = Next();
        word[..24].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(word[24..], value);
    }

    /// <summary>A signed integer, two's complement sign-extended to 256 bits.</summary>
    public void Int256(long value)
    {
        var word = Next();
        word[..24].Fill(value < 0 ? (byte)0xFF : (byte)0);
        BinaryPrimitives.WriteInt64BigEndian(word[24..], value);
    }

    public void Bool(bool value) => UInt256(value ? 1UL : 0UL);

    /// <summary>An address, left-padded with zeros.</summary>
    public void Address(in Address value)
    {
        var word = Next();
        word[..12].Clear();
        value.CopyTo(word[12..]);
    }

    /// <summary>A 32-byte value as is: a type hash, a bytes32, or the hash of a dynamic or nested value.</summary>
    public void Hash(in Hash256 value) => value.CopyTo(Next());

    public void Bytes32(ReadOnlySpan<byte> value)
    {
        var word = Next();
        value.CopyTo(word);
        word[value.Length..].Clear();
    }

    private Span<byte> Next()
    {
        var word = _buffer.Slice(_position, WordLength);
        _position += WordLength;
        return word;
    }
}
