using System.Buffers.Binary;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Storage;

namespace Rollup.Execution.Blocks;

/// <summary>
/// An executed block as <see cref="StateColumn.Blocks"/> keeps it, enough to replay it and to answer queries:
/// number (u64) ‖ timestamp (u64) ‖ state root (32) ‖ withdrawals root (32) ‖ tx count (u32), then for each
/// transaction: encoded length (u16) ‖ encoded transaction (docs/transactions.md) ‖ status (u8) ‖ order id (u64) ‖
/// filled (i64) ‖ resting (i64).
/// </summary>
public sealed record BlockRecord(Block Block, Hash256 StateRoot, Hash256 WithdrawalsRoot, Receipt[] Receipts)
{
    private const int HeaderLength = 8 + 8 + 32 + 32 + 4;
    private const int ReceiptLength = 1 + 8 + 8 + 8;

    public static void Write(BlockResult result, Block block, RocksWriteBatch<StateColumn> batch)
    {
        var length = HeaderLength;
        foreach (var tx in block.Transactions)
        {
            length += 2 + TransactionCodec.GetEncodedLength(tx) + ReceiptLength;
        }
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt64BigEndian(span, block.Number);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], block.Timestamp);
        result.StateRoot.CopyTo(span[16..]);
        result.WithdrawalsRoot.CopyTo(span[48..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[80..], (uint)block.Transactions.Length);
        var at = HeaderLength;
        for (var i = 0; i < block.Transactions.Length; i++)
        {
            var written = TransactionCodec.Encode(block.Transactions[i], span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)written);
            at += 2 + written;
            var receipt = result.Receipts[i];
            span[at] = (byte)receipt.Status;
            BinaryPrimitives.WriteUInt64BigEndian(span[(at + 1)..], receipt.OrderId);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 9)..], receipt.FilledSize);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 17)..], receipt.RestingSize);
            at += ReceiptLength;
        }
        Span<byte> key = stackalloc byte[StateKeys.BlockKeyLength];
        StateKeys.Block(block.Number, key);
        batch.Put(StateColumn.Blocks, key, bytes);
    }

    public static BlockRecord? Read(RocksDb<StateColumn> db, ulong number)
    {
        Span<byte> key = stackalloc byte[StateKeys.BlockKeyLength];
        StateKeys.Block(number, key);
        var bytes = db.Get(StateColumn.Blocks, key);
        return bytes is null ? null : Decode(bytes);
    }

    private static BlockRecord Decode(ReadOnlySpan<byte> span)
    {
        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(span[80..]);
        var transactions = new Transaction[count];
        var receipts = new Receipt[count];
        var at = HeaderLength;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
            if (!TransactionCodec.TryDecode(span.Slice(at + 2, length), out transactions[i], out _, out var error))
            {
                throw new InvalidDataException($"corrupt transaction {i} in a stored block: {TransactionCodec.Describe(error)}");
            }
            at += 2 + length;
            receipts[i] = new Receipt(i, (TxStatus)span[at], BinaryPrimitives.ReadUInt64BigEndian(span[(at + 1)..]),
                BinaryPrimitives.ReadInt64BigEndian(span[(at + 9)..]), BinaryPrimitives.ReadInt64BigEndian(span[(at + 17)..]));
            at += ReceiptLength;
        }
        var block = new Block(BinaryPrimitives.ReadUInt64BigEndian(span), BinaryPrimitives.ReadUInt64BigEndian(span[8..]), transactions);
        return new BlockRecord(block, new Hash256(span.Slice(16, 32)), new Hash256(span.Slice(48, 32)), receipts);
    }
}
