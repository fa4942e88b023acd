using System.Buffers.Binary;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>What kind of work a step left for the next (the first byte of <see cref="MarketState.Pending"/>).</summary>
public enum PendingKind : byte
{
    /// <summary>An order's sweep of the book, more fills than one step makes.</summary>
    Sweep = 1,
    /// <summary>A cancel-all of more orders than one step cancels.</summary>
    CancelAll = 2,
    /// <summary>A liquidation, stage by stage.</summary>
    Liquidation = 3,
    /// <summary>A bulk's items, one item (or half of a cancel-replace) a step.</summary>
    Bulk = 4,
}

/// <summary>
/// An order sweeping the book across steps (docs/steps.md, "Continue"): the order as admitted, what is left of it, and
/// the receipt it is working towards. Encoded: kind u8 ‖ sequence u64 ‖ txIndex u32 ‖ account ‖ isBuy u8 ‖ price i64 ‖
/// size i64 ‖ remaining i64 ‖ orderId u64 ‖ clientOrderId u64 ‖ canRest u8 ‖ reduceOnly u8, then for a bulk's item
/// the bulk's work after it (<see cref="BulkWork"/>, <see cref="Tail"/>), which is what is pending once the sweep ends.
/// </summary>
internal sealed record SweepWork(ulong Sequence, uint TxIndex, Address Account, bool IsBuy, long Price, long Size, long Remaining, ulong OrderId, ulong ClientOrderId, bool CanRest, bool ReduceOnly)
{
    public const int Length = 1 + 8 + 4 + Address.Length + 1 + 8 + 8 + 8 + 8 + 8 + 1 + 1;

    /// <summary>The encoded <see cref="BulkWork"/> the sweep hands back to, or empty for a PlaceOrder's.</summary>
    public byte[] Tail { get; init; } = [];

    public byte[] Encode()
    {
        var bytes = new byte[Length + Tail.Length];
        Tail.CopyTo(bytes, Length);
        var span = bytes.AsSpan();
        span[0] = (byte)PendingKind.Sweep;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], TxIndex);
        Account.CopyTo(span[13..]);
        span[33] = IsBuy ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(span[34..], Price);
        BinaryPrimitives.WriteInt64BigEndian(span[42..], Size);
        BinaryPrimitives.WriteInt64BigEndian(span[50..], Remaining);
        BinaryPrimitives.WriteUInt64BigEndian(span[58..], OrderId);
        BinaryPrimitives.WriteUInt64BigEndian(span[66..], ClientOrderId);
        span[74] = CanRest ? (byte)1 : (byte)0;
        span[75] = ReduceOnly ? (byte)1 : (byte)0;
        return bytes;
    }

    public static SweepWork Decode(ReadOnlySpan<byte> span) => new SweepWork(
        BinaryPrimitives.ReadUInt64BigEndian(span[1..]),
        BinaryPrimitives.ReadUInt32BigEndian(span[9..]),
        new Address(span.Slice(13, Address.Length)),
        span[33] != 0,
        BinaryPrimitives.ReadInt64BigEndian(span[34..]),
        BinaryPrimitives.ReadInt64BigEndian(span[42..]),
        BinaryPrimitives.ReadInt64BigEndian(span[50..]),
        BinaryPrimitives.ReadUInt64BigEndian(span[58..]),
        BinaryPrimitives.ReadUInt64BigEndian(span[66..]),
        span[74] != 0,
        span[75] != 0)
    {
        Tail = span[Length..].ToArray(),
    };
}

/// <summary>Which half of a bulk's item runs next: a cancel (cancel, cancel by client id, a cancel-replace's cancel) or a place.</summary>
internal enum BulkHalf : byte
{
    /// <summary>No item is left (<see cref="BulkWork.Next"/> = <see cref="BulkWork.Count"/>): only in a sweep's tail.</summary>
    None = 0,
    Cancel = 1,
    Place = 2,
}

/// <summary>
/// A bulk's items across steps (docs/steps.md, "Bulks"): kind u8 ‖ sequence u64 ‖ txIndex u32 ‖ slot u32 (the bulk's
/// first) ‖ count u8 ‖ next u8 ‖ half u8: item <see cref="Next"/> runs next, its <see cref="Half"/>. L1's dispatcher
/// picks the prover by the half alone.
/// </summary>
internal sealed record BulkWork(ulong Sequence, uint TxIndex, uint Slot, byte Count, byte Next, BulkHalf Half)
{
    public const int Length = 1 + 8 + 4 + 4 + 1 + 1 + 1;

    public bool IsDone => Next == Count;

    public byte[] Encode()
    {
        var bytes = new byte[Length];
        var span = bytes.AsSpan();
        span[0] = (byte)PendingKind.Bulk;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], TxIndex);
        BinaryPrimitives.WriteUInt32BigEndian(span[13..], Slot);
        span[17] = Count;
        span[18] = Next;
        span[19] = (byte)Half;
        return bytes;
    }

    public static BulkWork Decode(ReadOnlySpan<byte> span)
    {
        if (span.Length != Length || span[0] != (byte)PendingKind.Bulk)
        {
            throw new StepProofException("the pending bulk does not decode");
        }
        var work = new BulkWork(BinaryPrimitives.ReadUInt64BigEndian(span[1..]), BinaryPrimitives.ReadUInt32BigEndian(span[9..]),
            BinaryPrimitives.ReadUInt32BigEndian(span[13..]), span[17], span[18], (BulkHalf)span[19]);
        var halfFits = work.IsDone ? work.Half == BulkHalf.None : work.Half is BulkHalf.Cancel or BulkHalf.Place;
        if (work.Count is 0 or > BulkItem.MaxItems || work.Next > work.Count || !halfFits)
        {
            throw new StepProofException("the pending bulk does not decode");
        }
        return work;
    }
}

/// <summary>A cancel-all across steps: kind u8 ‖ sequence u64 ‖ txIndex u32 ‖ account.</summary>
internal sealed record CancelAllWork(ulong Sequence, uint TxIndex, Address Account)
{
    public const int Length = 1 + 8 + 4 + Address.Length;

    public byte[] Encode()
    {
        var bytes = new byte[Length];
        bytes[0] = (byte)PendingKind.CancelAll;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(1), Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(9), TxIndex);
        Account.CopyTo(bytes.AsSpan(13));
        return bytes;
    }

    public static CancelAllWork Decode(ReadOnlySpan<byte> span) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(span[1..]), BinaryPrimitives.ReadUInt32BigEndian(span[9..]), new Address(span.Slice(13, Address.Length)));
}

/// <summary>The stages of a liquidation (docs/steps.md, "LiquidationContinue"), each one or more steps.</summary>
internal enum LiquidationStage : byte
{
    /// <summary>Its resting orders, C a step; then its funding, its bankruptcy price and the limit it closes at.</summary>
    Cancel = 1,
    /// <summary>Closing into the book, F fills a step.</summary>
    Sweep = 2,
    /// <summary>The liquidation fee on what the book took, and the insurance fund's takeover of the rest.</summary>
    Takeover = 3,
    /// <summary>One auto-deleveraging counterparty a step.</summary>
    Deleverage = 4,
    /// <summary>The halt if a remainder is left, and the dust of a closed bankrupt position.</summary>
    Finish = 5,
}

/// <summary>
/// A liquidation across steps: kind u8 ‖ account ‖ stage u8 ‖ isLong u8 ‖ size i64 (|size| when it started) ‖
/// bankruptcy price i64 ‖ limit i64 ‖ filled i64 ‖ remaining i64.
/// </summary>
internal sealed record LiquidationWork(Address Account, LiquidationStage Stage, bool IsLong, long Size, long Bankruptcy, long Limit, long Filled, long Remaining)
{
    public const int Length = 1 + Address.Length + 1 + 1 + (5 * 8);

    public byte[] Encode()
    {
        var bytes = new byte[Length];
        var span = bytes.AsSpan();
        span[0] = (byte)PendingKind.Liquidation;
        Account.CopyTo(span[1..]);
        span[21] = (byte)Stage;
        span[22] = IsLong ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(span[23..], Size);
        BinaryPrimitives.WriteInt64BigEndian(span[31..], Bankruptcy);
        BinaryPrimitives.WriteInt64BigEndian(span[39..], Limit);
        BinaryPrimitives.WriteInt64BigEndian(span[47..], Filled);
        BinaryPrimitives.WriteInt64BigEndian(span[55..], Remaining);
        return bytes;
    }

    public static LiquidationWork Decode(ReadOnlySpan<byte> span)
    {
        var stage = (LiquidationStage)span[21];
        if (stage is < LiquidationStage.Cancel or > LiquidationStage.Finish)
        {
            throw new StepProofException("the pending liquidation's stage does not decode");
        }
        return new(new Address(span.Slice(1, Address.Length)), stage, span[22] != 0,
            BinaryPrimitives.ReadInt64BigEndian(span[23..]), BinaryPrimitives.ReadInt64BigEndian(span[31..]), BinaryPrimitives.ReadInt64BigEndian(span[39..]),
            BinaryPrimitives.ReadInt64BigEndian(span[47..]), BinaryPrimitives.ReadInt64BigEndian(span[55..]));
    }
}

internal static class MarketPending
{
    public static PendingKind KindOf(byte[] pending) =>
        pending.Length switch
        {
            SweepWork.Length when pending[0] == (byte)PendingKind.Sweep => PendingKind.Sweep,
            SweepWork.Length + BulkWork.Length when pending[0] == (byte)PendingKind.Sweep && pending[SweepWork.Length] == (byte)PendingKind.Bulk => PendingKind.Sweep,
            BulkWork.Length when pending[0] == (byte)PendingKind.Bulk => PendingKind.Bulk,
            CancelAllWork.Length when pending[0] == (byte)PendingKind.CancelAll => PendingKind.CancelAll,
            LiquidationWork.Length when pending[0] == (byte)PendingKind.Liquidation => PendingKind.Liquidation,
            _ => throw new StepProofException("the pending work does not decode"),
        };
}
