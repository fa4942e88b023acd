using System.Buffers.Binary;
using Rollup.Execution.Markets;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps.Markets;

/// <summary>One resting order as a position leaf lists it (docs/steps.md, "Its leaves").</summary>
public readonly record struct ListedOrder(ulong OrderId, bool IsBuy, long Price, long Size, ulong ClientOrderId, bool ReduceOnly);

/// <summary>
/// The leaves and keys of a market domain's trees (docs/steps.md, "Its leaves"): fixed-width big-endian fields, as the
/// verifier reads them. These bytes are hashed into the market's roots, so they are protocol.
/// </summary>
public static class MarketLeaves
{
    /// <summary>size i64 ‖ collateral i64 ‖ settled funding index i64 ‖ order count u16.</summary>
    public const int PositionHeaderLength = 8 + 8 + 8 + 2;

    /// <summary>orderId u64 ‖ isBuy u8 ‖ price i64 ‖ remaining size i64 ‖ clientOrderId u64 ‖ reduceOnly u8.</summary>
    public const int ListedOrderLength = 8 + 1 + 8 + 8 + 8 + 1;

    /// <summary>A position leaf; <paramref name="orders"/> must be in id order.</summary>
    public static byte[] Position(long size, long collateral, long settledFundingIndex, ReadOnlySpan<ListedOrder> orders)
    {
        var bytes = new byte[PositionHeaderLength + (orders.Length * ListedOrderLength)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, size);
        BinaryPrimitives.WriteInt64BigEndian(span[8..], collateral);
        BinaryPrimitives.WriteInt64BigEndian(span[16..], settledFundingIndex);
        BinaryPrimitives.WriteUInt16BigEndian(span[24..], checked((ushort)orders.Length));
        var at = PositionHeaderLength;
        foreach (var order in orders)
        {
            var o = span[at..];
            BinaryPrimitives.WriteUInt64BigEndian(o, order.OrderId);
            o[8] = order.IsBuy ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt64BigEndian(o[9..], order.Price);
            BinaryPrimitives.WriteInt64BigEndian(o[17..], order.Size);
            BinaryPrimitives.WriteUInt64BigEndian(o[25..], order.ClientOrderId);
            o[33] = order.ReduceOnly ? (byte)1 : (byte)0;
            at += ListedOrderLength;
        }
        return bytes;
    }

    /// <summary>The position tree's key of an account.</summary>
    public static Hash256 PositionKey(in Address account) => Keccak256.Compute(account.Bytes);

    /// <summary>
    /// A book leaf's key: asks <c>u64 price ‖ u64 orderId ‖ 0…</c>, bids <c>u64 (2^64−1−price) ‖ u64 orderId ‖ 0…</c>,
    /// so that left to right is priority order on both sides.
    /// </summary>
    public static Hash256 BookKey(bool isBuy, long price, ulong orderId)
    {
        Span<byte> key = stackalloc byte[Hash256.Length];
        key.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(key, isBuy ? ulong.MaxValue - (ulong)price : (ulong)price);
        BinaryPrimitives.WriteUInt64BigEndian(key[8..], orderId);
        return new Hash256(key);
    }

    /// <summary>The price a book key was made from.</summary>
    public static long BookPrice(bool isBuy, in Hash256 key)
    {
        var raw = BinaryPrimitives.ReadUInt64BigEndian(key.Bytes);
        return (long)(isBuy ? ulong.MaxValue - raw : raw);
    }

    /// <summary>A book leaf's record, account ‖ reduceOnly u8; its value hash is keccak256 of it.</summary>
    public static byte[] BookRecord(in Address account, bool reduceOnly)
    {
        var record = new byte[Address.Length + 1];
        account.CopyTo(record);
        record[Address.Length] = reduceOnly ? (byte)1 : (byte)0;
        return record;
    }

    public static Hash256 BookValue(in Address account, bool reduceOnly) => Keccak256.Compute(BookRecord(account, reduceOnly));

    /// <summary>The K a risk leaf's key was made from.</summary>
    internal static Int128 RiskLeafK(in Hash256 key)
    {
        var high = BinaryPrimitives.ReadUInt32BigEndian(key.Bytes);
        var low = BinaryPrimitives.ReadUInt64BigEndian(key.Bytes[4..]);
        return (Int128)(((UInt128)high << 64) | low) - RiskKey.Limit;
    }

    /// <summary>A risk leaf's key: <c>u96 (K + 2^95) ‖ address</c>, K within ±2^95 (<see cref="RiskKey"/>).</summary>
    internal static Hash256 RiskLeafKey(in RiskKey risk)
    {
        Span<byte> key = stackalloc byte[Hash256.Length];
        var offset = (UInt128)(risk.K + RiskKey.Limit);
        BinaryPrimitives.WriteUInt32BigEndian(key, (uint)(offset >> 64));
        BinaryPrimitives.WriteUInt64BigEndian(key[4..], (ulong)offset);
        risk.Account.CopyTo(key[12..]);
        return new Hash256(key);
    }
}
