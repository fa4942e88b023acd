using System.Buffers.Binary;
using Rollup.Primitives;
using Rollup.Storage;

namespace Rollup.Execution.State;

/// <summary>
/// The chain head in <see cref="StateColumn.Meta"/>: block number (u64) ‖ timestamp (u64) ‖ state root (32) ‖
/// next deposit index (u64) ‖ total deposits (i64) ‖ total withdrawals (i64).
/// </summary>
public static class ChainHeadRecord
{
    public const int Length = 8 + 8 + 32 + 8 + 8 + 8;

    public static ChainHead? Read(RocksDb<StateColumn> db)
    {
        var bytes = db.Get(StateColumn.Meta, StateKeys.Meta.Head);
        if (bytes is null)
        {
            return null;
        }
        if (bytes.Length != Length)
        {
            throw new InvalidDataException("corrupt chain head in the state database");
        }
        var span = bytes.AsSpan();
        return new ChainHead
        {
            BlockNumber = BinaryPrimitives.ReadUInt64BigEndian(span),
            Timestamp = BinaryPrimitives.ReadUInt64BigEndian(span[8..]),
            StateRoot = new Hash256(span.Slice(16, 32)),
            NextDepositIndex = BinaryPrimitives.ReadUInt64BigEndian(span[48..]),
            TotalDeposits = BinaryPrimitives.ReadInt64BigEndian(span[56..]),
            TotalWithdrawals = BinaryPrimitives.ReadInt64BigEndian(span[64..]),
        };
    }

    public static void Write(ChainHead head, RocksWriteBatch<StateColumn> batch)
    {
        Span<byte> span = stackalloc byte[Length];
        BinaryPrimitives.WriteUInt64BigEndian(span, head.BlockNumber);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], head.Timestamp);
        head.StateRoot.CopyTo(span[16..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[48..], head.NextDepositIndex);
        BinaryPrimitives.WriteInt64BigEndian(span[56..], head.TotalDeposits);
        BinaryPrimitives.WriteInt64BigEndian(span[64..], head.TotalWithdrawals);
        batch.Put(StateColumn.Meta, StateKeys.Meta.Head, span);
    }
}
