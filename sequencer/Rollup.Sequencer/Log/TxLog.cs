using System.Buffers.Binary;
using Rollup.Execution.Transactions;
using Rollup.Storage;

namespace Rollup.Sequencer.Log;

/// <summary>
/// The sequencer's durable log: every admitted transaction under its sequence number, and every block cut
/// with its time and range. Written only by <see cref="GroupCommitLog"/>, with a synced write per group, so
/// an acknowledged transaction survives a crash; blocks are rebuilt from it after a restart.
/// </summary>
public sealed class TxLog : IDisposable
{
    private readonly RocksDb<TxLogColumn> _db;

    private TxLog(RocksDb<TxLogColumn> db, ulong nextSequence, LoggedBlock? lastBlock)
    {
        _db = db;
        NextSequence = nextSequence;
        LastBlock = lastBlock;
    }

    /// <summary>The sequence number the next admitted transaction gets.</summary>
    public ulong NextSequence { get; internal set; }

    /// <summary>The last block cut, if any.</summary>
    public LoggedBlock? LastBlock { get; internal set; }

    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/>; its columns' memtables are
    /// <paramref name="writeBufferBytes"/>, twice that for the transactions, the column every admission writes.
    /// </summary>
    public static TxLog Open(string directory, long writeBufferBytes = ColumnOptions.DefaultWriteBufferBytes)
    {
        // The database-wide columns (RocksDB's default one included) get the same size: the largest sizes the WAL's reservation.
        var db = RocksDb.Open<TxLogColumn>(directory, new RocksDbOptions { Columns = new ColumnOptions { WriteBufferBytes = writeBufferBytes } }, column => column == TxLogColumn.Transactions
            ? new ColumnOptions { BloomBitsPerKey = 0, WriteBufferBytes = 2 * writeBufferBytes }
            : new ColumnOptions { WriteBufferBytes = writeBufferBytes });
        try
        {
            var next = 0UL;
            using (var transactions = db.CreateIterator(TxLogColumn.Transactions))
            {
                if (transactions.SeekToLast())
                {
                    next = BinaryPrimitives.ReadUInt64BigEndian(transactions.Key) + 1;
                }
            }
            LoggedBlock? last = null;
            using (var blocks = db.CreateIterator(TxLogColumn.Blocks))
            {
                if (blocks.SeekToLast())
                {
                    last = DecodeBlock(BinaryPrimitives.ReadUInt64BigEndian(blocks.Key), blocks.Value);
                }
            }
            // A log pruned through its last block holds that block's entry and none of its transactions.
            return new TxLog(db, Math.Max(next, last?.EndSequence ?? 0), last);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public LoggedBlock? GetBlock(ulong number)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        var value = _db.Get(TxLogColumn.Blocks, key);
        return value is null ? null : DecodeBlock(number, value);
    }

    /// <summary>The transactions of sequence numbers [first, end), decoded; a gap or a corrupt entry is an error.</summary>
    public Transaction[] ReadRange(ulong first, ulong end)
    {
        var transactions = new Transaction[end - first];
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, first);
        using var iterator = _db.CreateIterator(TxLogColumn.Transactions);
        var valid = iterator.Seek(key);
        for (var sequence = first; sequence < end; sequence++, valid = iterator.Next())
        {
            if (!valid || BinaryPrimitives.ReadUInt64BigEndian(iterator.Key) != sequence)
            {
                throw new InvalidDataException($"transaction log: sequence {sequence} is missing");
            }
            if (!TransactionCodec.TryDecode(iterator.Value, out transactions[sequence - first], out var consumed, out var error) || consumed != iterator.Value.Length)
            {
                throw new InvalidDataException($"transaction log: sequence {sequence} does not decode ({TransactionCodec.Describe(error)})");
            }
        }
        return transactions;
    }

    /// <summary>
    /// Drops what recovery no longer needs once the state holds block <paramref name="throughBlock"/> for good: every
    /// transaction of the blocks up to it and their entries, but its own entry, which stays as the anchor the next
    /// sequence number and recovery start from (the state is never behind it). Returns the transactions dropped.
    /// Safe beside the log's writer, which only appends after it.
    /// </summary>
    public ulong PruneThrough(ulong throughBlock)
    {
        var anchor = GetBlock(throughBlock) ?? throw new ArgumentOutOfRangeException(nameof(throughBlock), $"transaction log: block {throughBlock} is not in the log");
        var first = FirstSequence();
        var dropped = first < anchor.EndSequence ? anchor.EndSequence - first : 0;
        Span<byte> start = stackalloc byte[8];
        Span<byte> end = stackalloc byte[8];
        start.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(end, anchor.EndSequence);
        _db.DeleteRange(TxLogColumn.Transactions, start, end);
        _db.CompactRange(TxLogColumn.Transactions, start, end);
        BinaryPrimitives.WriteUInt64BigEndian(end, throughBlock);
        _db.DeleteRange(TxLogColumn.Blocks, start, end);
        _db.CompactRange(TxLogColumn.Blocks, start, end);
        return dropped;
    }

    /// <summary>Writes the log's memtables to SST files (the log is synced per group already; this is for measuring and tools).</summary>
    public void Flush() => _db.Flush();

    /// <summary>The first sequence number the log still holds (<see cref="NextSequence"/> when it holds none).</summary>
    public ulong FirstSequence()
    {
        using var transactions = _db.CreateIterator(TxLogColumn.Transactions);
        return transactions.SeekToFirst() ? BinaryPrimitives.ReadUInt64BigEndian(transactions.Key) : Math.Max(NextSequence, LastBlock?.EndSequence ?? 0);
    }

    internal RocksWriteBatch<TxLogColumn> CreateBatch() => _db.CreateWriteBatch();

    internal static void PutTransaction(RocksWriteBatch<TxLogColumn> batch, ulong sequence, ReadOnlySpan<byte> encoded)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, sequence);
        batch.Put(TxLogColumn.Transactions, key, encoded);
    }

    internal static void PutBlock(RocksWriteBatch<TxLogColumn> batch, in LoggedBlock block)
    {
        Span<byte> key = stackalloc byte[8];
        Span<byte> value = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(key, block.Number);
        BinaryPrimitives.WriteUInt64BigEndian(value, block.Timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(value[8..], block.FirstSequence);
        BinaryPrimitives.WriteUInt64BigEndian(value[16..], block.EndSequence);
        batch.Put(TxLogColumn.Blocks, key, value);
    }

    private static LoggedBlock DecodeBlock(ulong number, ReadOnlySpan<byte> value)
    {
        if (value.Length != 24)
        {
            throw new InvalidDataException($"transaction log: block {number} entry is corrupt");
        }
        return new LoggedBlock(number, BinaryPrimitives.ReadUInt64BigEndian(value), BinaryPrimitives.ReadUInt64BigEndian(value[8..]), BinaryPrimitives.ReadUInt64BigEndian(value[16..]));
    }

    public void Dispose() => _db.Dispose();
}
