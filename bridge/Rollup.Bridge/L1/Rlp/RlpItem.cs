using System.Numerics;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>A decoded RLP item: a byte string or a list of items. The accessors check the shape they expect.</summary>
public sealed class RlpItem
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly IReadOnlyList<RlpItem> _items;

    private RlpItem(ReadOnlyMemory<byte> bytes, IReadOnlyList<RlpItem>? items)
    {
        _bytes = bytes;
        _items = items ?? [];
        IsList = items is not null;
    }

    public bool IsList { get; }

    /// <summary>The byte string; throws for a list.</summary>
    public ReadOnlyMemory<byte> Bytes => IsList ? throw new RlpException("expected a byte string, found a list") : _bytes;

    /// <summary>The list's items; throws for a byte string.</summary>
    public IReadOnlyList<RlpItem> Items => IsList ? _items : throw new RlpException("expected a list, found a byte string");

    public static RlpItem String(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), null);

    public static RlpItem List(params IReadOnlyList<RlpItem> items) => new(default, items.ToArray());

    /// <summary>An unsigned integer of at most 8 bytes, canonical (no leading zero byte).</summary>
    public ulong AsUInt64()
    {
        var bytes = CanonicalInteger(8);
        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }
        return value;
    }

    /// <summary>An unsigned integer of at most <paramref name="maxBytes"/> bytes, canonical (no leading zero byte).</summary>
    public BigInteger AsUInt(int maxBytes = 32) => new(CanonicalInteger(maxBytes), isUnsigned: true, isBigEndian: true);

    /// <summary>A 20-byte address.</summary>
    public Address AsAddress()
    {
        var bytes = Bytes.Span;
        return bytes.Length == Address.Length ? new Address(bytes) : throw new RlpException($"expected a 20-byte address, found {bytes.Length} bytes");
    }

    /// <summary>A 20-byte address, or null for the empty string (the "to" of a contract creation).</summary>
    public Address? AsOptionalAddress() => Bytes.IsEmpty ? null : AsAddress();

    public override string ToString() =>
        IsList ? $"[{string.Join(", ", _items)}]" : Hex.ToHex(_bytes.Span);

    private ReadOnlySpan<byte> CanonicalInteger(int maxBytes)
    {
        var bytes = Bytes.Span;
        if (bytes.Length > maxBytes)
        {
            throw new RlpException($"integer of {bytes.Length} bytes exceeds {maxBytes} bytes");
        }
        if (bytes.Length > 0 && bytes[0] == 0)
        {
            throw new RlpException("integer has a leading zero byte (not canonical)");
        }
        return bytes;
    }
}
