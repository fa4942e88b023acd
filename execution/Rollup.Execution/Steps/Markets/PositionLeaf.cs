using System.Buffers.Binary;
using Rollup.Execution.Markets;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// A position leaf of a market domain as a step works on it (docs/steps.md, "Its leaves"): size, collateral, the
/// funding index it settled at and its resting orders in id order. A position with no size stores a settled index of
/// 0 (what it owes is size times the index's move, so the index only matters once it has size); one with no size, no
/// collateral and no orders has no leaf.
/// </summary>
public sealed class PositionLeaf
{
    public long Size { get; set; }

    public long Collateral { get; set; }

    public long SettledFundingIndex { get; set; }

    /// <summary>The resting orders, in id order.</summary>
    public List<ListedOrder> Orders { get; } = [];

    public bool IsEmpty => Size == 0 && Collateral == 0 && Orders.Count == 0;

    /// <summary>Σ price·size of the resting orders (not divided by the size scale): what the initial margin counts.</summary>
    public Int128 OpenOrderValue
    {
        get
        {
            Int128 value = 0;
            foreach (var order in Orders)
            {
                value += (Int128)order.Price * order.Size;
            }
            return value;
        }
    }

    public byte[] Encode() =>
        MarketLeaves.Position(Size, Collateral, Size == 0 ? 0 : SettledFundingIndex, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Orders));

    /// <exception cref="StepProofException">The record is not a position leaf.</exception>
    public static PositionLeaf Decode(ReadOnlySpan<byte> record)
    {
        var leaf = new PositionLeaf();
        if (record.Length == 0)
        {
            return leaf;
        }
        if (record.Length < MarketLeaves.PositionHeaderLength)
        {
            throw new StepProofException("a position leaf is shorter than its header");
        }
        leaf.Size = BinaryPrimitives.ReadInt64BigEndian(record);
        leaf.Collateral = BinaryPrimitives.ReadInt64BigEndian(record[8..]);
        leaf.SettledFundingIndex = BinaryPrimitives.ReadInt64BigEndian(record[16..]);
        int count = BinaryPrimitives.ReadUInt16BigEndian(record[24..]);
        if (record.Length != MarketLeaves.PositionHeaderLength + (count * MarketLeaves.ListedOrderLength))
        {
            throw new StepProofException($"a position leaf listing {count} orders is {record.Length} bytes");
        }
        var at = MarketLeaves.PositionHeaderLength;
        for (var i = 0; i < count; i++, at += MarketLeaves.ListedOrderLength)
        {
            var o = record[at..];
            leaf.Orders.Add(new ListedOrder(
                BinaryPrimitives.ReadUInt64BigEndian(o),
                o[8] != 0,
                BinaryPrimitives.ReadInt64BigEndian(o[9..]),
                BinaryPrimitives.ReadInt64BigEndian(o[17..]),
                BinaryPrimitives.ReadUInt64BigEndian(o[25..]),
                o[33] != 0));
            if (i > 0 && leaf.Orders[i].OrderId <= leaf.Orders[i - 1].OrderId)
            {
                throw new StepProofException("a position leaf's orders are not in id order");
            }
        }
        return leaf;
    }

    public int IndexOfOrder(ulong orderId)
    {
        for (var i = 0; i < Orders.Count; i++)
        {
            if (Orders[i].OrderId == orderId)
            {
                return i;
            }
        }
        return -1;
    }

    public int IndexOfClientOrder(ulong clientOrderId)
    {
        if (clientOrderId == 0)
        {
            return -1;
        }
        for (var i = 0; i < Orders.Count; i++)
        {
            if (Orders[i].ClientOrderId == clientOrderId)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>This position's risk key, or null when it has none (no size).</summary>
    internal RiskKey? Risk(in Primitives.Address account) =>
        Size == 0 ? null : RiskKey.Of(Size, Collateral, SettledFundingIndex, account);
}
