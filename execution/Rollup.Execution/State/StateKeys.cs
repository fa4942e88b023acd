using System.Buffers.Binary;
using Rollup.Primitives;

namespace Rollup.Execution.State;

/// <summary>The key encodings of <see cref="StateColumn"/>: fixed-width, big-endian, so keys sort by number.</summary>
public static class StateKeys
{
    public const int MarketKeyLength = 4;
    public const int PositionKeyLength = 4 + Address.Length;
    public const int OrderKeyLength = 4 + 8;
    public const int BlockKeyLength = 8;

    public static class Meta
    {
        /// <summary>The last executed block's number, state root and counters (<see cref="ChainHead"/>).</summary>
        public static ReadOnlySpan<byte> Head => "head"u8;
    }

    public static void Market(uint market, Span<byte> key) => BinaryPrimitives.WriteUInt32BigEndian(key, market);

    public static void Position(uint market, in Address account, Span<byte> key)
    {
        BinaryPrimitives.WriteUInt32BigEndian(key, market);
        account.CopyTo(key[4..]);
    }

    public static void Order(uint market, ulong orderId, Span<byte> key)
    {
        BinaryPrimitives.WriteUInt32BigEndian(key, market);
        BinaryPrimitives.WriteUInt64BigEndian(key[4..], orderId);
    }

    public static void Block(ulong number, Span<byte> key) => BinaryPrimitives.WriteUInt64BigEndian(key, number);
}
