using System.Buffers.Binary;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Storage;

namespace Rollup.Execution.Blocks;

/// <summary>
/// An executed block as <see cref="StateColumn.Blocks"/> keeps it, enough to replay it and to answer queries:
/// number (u64) ‖ timestamp (u64) ‖ state root (32) ‖ accounts root (32) ‖ markets root (32) ‖ withdrawals root (32) ‖
/// next deposit index (u64) ‖ tx count (u32) ‖ touched market count (u32) ‖ (market id u32 ‖ root (32)) each, then for each
/// transaction: encoded length (u16) ‖ encoded transaction (docs/transactions.md) ‖ status (u8) ‖ order id (u64) ‖
/// filled (i64) ‖ resting (i64), and after a Bulk's: its item count (u8, 0 when it never reached its market) ‖ for each item
/// status (u8) ‖ order id (u64) ‖ filled (i64) ‖ resting (i64). Then, only if a withdrawal of the block drew on held
/// credits (so a record written before they existed reads as it always did): count (u16) ‖ for each such withdrawal
/// tx index (u32) ‖ k (u8) ‖ k × (market u32 ‖ block u64), its receipt's <see cref="Receipt.Drawn"/>.
/// </summary>
public sealed record BlockRecord(
    Block Block,
    Hash256 StateRoot,
    Hash256 AccountsRoot,
    Hash256 MarketsRoot,
    Hash256 WithdrawalsRoot,
    ulong NextDepositIndex,
    IReadOnlyList<MarketRoot> MarketRoots,
    Receipt[] Receipts)
{
    private const int HeaderLength = 8 + 8 + 32 + 32 + 32 + 32 + 8 + 4 + 4;
    private const int MarketRootLength = 4 + 32;
    private const int ReceiptLength = 1 + 8 + 8 + 8;

    public static void Write(BlockResult result, Block block, ulong nextDepositIndex, RocksWriteBatch<StateColumn> batch)
    {
        var length = HeaderLength + (result.MarketRoots.Count * MarketRootLength);
        foreach (var tx in block.Transactions)
        {
            length += 2 + TransactionCodec.GetEncodedLength(tx) + ReceiptLength;
        }
        for (var i = 0; i < block.Transactions.Length; i++)
        {
            if (block.Transactions[i].Kind == TxKind.Bulk)
            {
                length += 1 + ((result.Receipts[i].Items?.Count ?? 0) * ReceiptLength);
            }
        }
        var drawing = 0;
        foreach (var receipt in result.Receipts)
        {
            if (receipt.Drawn is { Count: > 0 } drawn)
            {
                drawing++;
                length += 4 + 1 + (drawn.Count * WithdrawalLeaf.DrawLength);
            }
        }
        if (drawing > 0)
        {
            length += 2;
        }
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt64BigEndian(span, block.Number);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], block.Timestamp);
        result.StateRoot.CopyTo(span[16..]);
        result.AccountsRoot.CopyTo(span[48..]);
        result.MarketsRoot.CopyTo(span[80..]);
        result.WithdrawalsRoot.CopyTo(span[112..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[144..], nextDepositIndex);
        BinaryPrimitives.WriteUInt32BigEndian(span[152..], (uint)block.Transactions.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[156..], (uint)result.MarketRoots.Count);
        var at = HeaderLength;
        foreach (var root in result.MarketRoots)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], root.Market);
            root.Root.CopyTo(span[(at + 4)..]);
            at += MarketRootLength;
        }
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
            if (block.Transactions[i].Kind == TxKind.Bulk)
            {
                var items = receipt.Items;
                span[at++] = (byte)(items?.Count ?? 0);
                foreach (var item in items is null ? [] : items.Span)
                {
                    span[at] = (byte)item.Status;
                    BinaryPrimitives.WriteUInt64BigEndian(span[(at + 1)..], item.OrderId);
                    BinaryPrimitives.WriteInt64BigEndian(span[(at + 9)..], item.FilledSize);
                    BinaryPrimitives.WriteInt64BigEndian(span[(at + 17)..], item.RestingSize);
                    at += ReceiptLength;
                }
            }
        }
        if (drawing > 0)
        {
            WriteDraws(result.Receipts, drawing, span[at..]);
        }
        Span<byte> key = stackalloc byte[StateKeys.BlockKeyLength];
        StateKeys.Block(block.Number, key);
        batch.Put(StateColumn.Blocks, key, bytes);
    }

    private static void WriteDraws(Receipt[] receipts, int drawing, Span<byte> span)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)drawing);
        var at = 2;
        foreach (var receipt in receipts)
        {
            if (receipt.Drawn is not { Count: > 0 } drawn)
            {
                continue;
            }
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)receipt.TxIndex);
            span[at + 4] = (byte)drawn.Count;
            at += 5;
            foreach (var draw in drawn.Span)
            {
                BinaryPrimitives.WriteUInt32BigEndian(span[at..], draw.Market);
                BinaryPrimitives.WriteUInt64BigEndian(span[(at + 4)..], draw.Block);
                at += WithdrawalLeaf.DrawLength;
            }
        }
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
        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(span[152..]);
        var transactions = new Transaction[count];
        var receipts = new Receipt[count];
        var marketRoots = new MarketRoot[BinaryPrimitives.ReadUInt32BigEndian(span[156..])];
        var at = HeaderLength;
        for (var i = 0; i < marketRoots.Length; i++)
        {
            marketRoots[i] = new MarketRoot(BinaryPrimitives.ReadUInt32BigEndian(span[at..]), new Hash256(span.Slice(at + 4, 32)));
            at += MarketRootLength;
        }
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
            if (transactions[i].Kind == TxKind.Bulk)
            {
                var itemCount = span[at++];
                if (itemCount > 0)
                {
                    var items = new BulkItemResult[itemCount];
                    for (var k = 0; k < items.Length; k++)
                    {
                        items[k] = new BulkItemResult((TxStatus)span[at], BinaryPrimitives.ReadUInt64BigEndian(span[(at + 1)..]),
                            BinaryPrimitives.ReadInt64BigEndian(span[(at + 9)..]), BinaryPrimitives.ReadInt64BigEndian(span[(at + 17)..]));
                        at += ReceiptLength;
                    }
                    receipts[i] = receipts[i] with { Items = new ValueArray<BulkItemResult>(items) };
                }
            }
        }
        if (at < span.Length)
        {
            ReadDraws(span[at..], receipts);
        }
        var block = new Block(BinaryPrimitives.ReadUInt64BigEndian(span), BinaryPrimitives.ReadUInt64BigEndian(span[8..]), transactions);
        return new BlockRecord(block, new Hash256(span.Slice(16, 32)), new Hash256(span.Slice(48, 32)), new Hash256(span.Slice(80, 32)),
            new Hash256(span.Slice(112, 32)), BinaryPrimitives.ReadUInt64BigEndian(span[144..]), marketRoots, receipts);
    }

    private static void ReadDraws(ReadOnlySpan<byte> span, Receipt[] receipts)
    {
        var drawing = BinaryPrimitives.ReadUInt16BigEndian(span);
        var at = 2;
        for (var w = 0; w < drawing; w++)
        {
            var txIndex = (int)BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
            var draws = new HeldDraw[span[at + 4]];
            at += 5;
            for (var k = 0; k < draws.Length; k++)
            {
                draws[k] = new HeldDraw(BinaryPrimitives.ReadUInt32BigEndian(span[at..]), BinaryPrimitives.ReadUInt64BigEndian(span[(at + 4)..]));
                at += WithdrawalLeaf.DrawLength;
            }
            receipts[txIndex] = receipts[txIndex] with { Drawn = new ValueArray<HeldDraw>(draws) };
        }
    }
}
