using System.Buffers.Binary;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Storage;

namespace Rollup.Execution.Blocks;

/// <summary>Where an executed transaction is: its block, its index there, and its sequence number in the log.</summary>
public readonly record struct TxLocation(ulong BlockNumber, int Index, ulong Sequence);

/// <summary>
/// <see cref="StateColumn.TxLookup"/>: executed transactions by hash and by sequence number, written in the block's own
/// batch so the index never disagrees with the blocks. Blocks partition the log in order from sequence 0 (every node,
/// sequencer or validator, executes every block from the first), so a block's first sequence is the count of the
/// transactions before it. Keys are tagged:
/// <c>'h' ‖ tx hash (32)</c> → block number u64 ‖ index u32 ‖ sequence u64, and, for each block with transactions,
/// <c>'s' ‖ first sequence u64</c> → block number u64 ‖ tx count u32. Not part of any root.
/// </summary>
internal static class TransactionIndex
{
    private const byte HashTag = (byte)'h';
    private const byte SequenceTag = (byte)'s';
    private const int HashKeyLength = 1 + Hash256.Length;
    private const int SequenceKeyLength = 1 + 8;

    public static void Write(Block block, ulong firstSequence, RocksWriteBatch<StateColumn> batch)
    {
        if (block.Transactions.Length == 0)
        {
            return;
        }
        Span<byte> key = stackalloc byte[HashKeyLength];
        Span<byte> value = stackalloc byte[8 + 4 + 8];
        key[0] = SequenceTag;
        BinaryPrimitives.WriteUInt64BigEndian(key[1..], firstSequence);
        BinaryPrimitives.WriteUInt64BigEndian(value, block.Number);
        BinaryPrimitives.WriteUInt32BigEndian(value[8..], (uint)block.Transactions.Length);
        batch.Put(StateColumn.TxLookup, key[..SequenceKeyLength], value[..12]);
        key[0] = HashTag;
        for (var i = 0; i < block.Transactions.Length; i++)
        {
            TransactionHash.Of(block.Transactions[i]).CopyTo(key[1..]);
            BinaryPrimitives.WriteUInt32BigEndian(value[8..], (uint)i);
            BinaryPrimitives.WriteUInt64BigEndian(value[12..], firstSequence + (ulong)i);
            batch.Put(StateColumn.TxLookup, key, value);
        }
    }

    public static TxLocation? ByHash(RocksDb<StateColumn> db, in Hash256 hash)
    {
        Span<byte> key = stackalloc byte[HashKeyLength];
        key[0] = HashTag;
        hash.CopyTo(key[1..]);
        var value = db.Get(StateColumn.TxLookup, key);
        return value is null ? null : new TxLocation(BinaryPrimitives.ReadUInt64BigEndian(value), (int)BinaryPrimitives.ReadUInt32BigEndian(value.AsSpan(8)), BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(12)));
    }

    /// <summary>The executed transaction with this sequence number; null when no executed block holds it (yet).</summary>
    public static TxLocation? BySequence(RocksDb<StateColumn> db, ulong sequence)
    {
        Span<byte> key = stackalloc byte[SequenceKeyLength];
        key[0] = SequenceTag;
        BinaryPrimitives.WriteUInt64BigEndian(key[1..], sequence);
        using var iterator = db.CreateIterator(StateColumn.TxLookup);
        if (!iterator.SeekForPrev(key) || iterator.Key.Length != SequenceKeyLength || iterator.Key[0] != SequenceTag)
        {
            return null;
        }
        var first = BinaryPrimitives.ReadUInt64BigEndian(iterator.Key[1..]);
        var count = BinaryPrimitives.ReadUInt32BigEndian(iterator.Value[8..]);
        return sequence - first < count ? new TxLocation(BinaryPrimitives.ReadUInt64BigEndian(iterator.Value), (int)(sequence - first), sequence) : null;
    }

    /// <summary>
    /// The sequence number the next executed transaction gets. A database written before this index existed (blocks,
    /// but no index) is indexed here first, block by block from the first: once, on the first open by this version.
    /// </summary>
    public static ulong Open(RocksDb<StateColumn> db, ulong head)
    {
        using (var iterator = db.CreateIterator(StateColumn.TxLookup))
        {
            if (iterator.SeekToLast())
            {
                return iterator.Key[0] == SequenceTag
                    ? BinaryPrimitives.ReadUInt64BigEndian(iterator.Key[1..]) + BinaryPrimitives.ReadUInt32BigEndian(iterator.Value[8..])
                    : throw new InvalidDataException("the transaction index holds hashes but no block starts: the state database is corrupt");
            }
        }
        var next = 0UL;
        const int BlocksPerBatch = 256;
        for (var number = 1UL; number <= head; number += BlocksPerBatch)
        {
            using var batch = db.CreateWriteBatch();
            for (var n = number; n <= head && n < number + BlocksPerBatch; n++)
            {
                var block = BlockRecord.Read(db, n)?.Block ?? throw new InvalidDataException($"block {n} is missing from the state database");
                Write(block, next, batch);
                next += (ulong)block.Transactions.Length;
            }
            batch.Commit();
        }
        return next;
    }
}
