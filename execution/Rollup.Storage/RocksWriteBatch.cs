using Rollup.Storage.Handles;
using Rollup.Storage.Native;

namespace Rollup.Storage;

/// <summary>
/// Puts and deletes buffered in memory and written atomically by <see cref="Commit"/>, which then empties the
/// batch for reuse. <see cref="Dispose"/> discards whatever was not committed, so an exception inside a
/// <c>using</c> block writes nothing. Not thread-safe.
/// </summary>
public sealed unsafe class RocksWriteBatch<TColumn> : IDisposable
    where TColumn : struct, Enum
{
    private readonly RocksDb<TColumn> _db;
    private readonly WriteBatchHandle _batch = new();

    internal RocksWriteBatch(RocksDb<TColumn> db) => _db = db;

    /// <summary>How many puts and deletes are waiting for <see cref="Commit"/>.</summary>
    public int Count => RocksApi.C.rocksdb_writebatch_count(Batch());

    public void Put(TColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var batch = Batch();
        var columnFamily = _db.ColumnFamily(column);
        // The column family handle is read while the batch records it: hold the database open.
        using var db = _db.Lease();
        fixed (byte* keyPointer = key, valuePointer = value)
        {
            RocksApi.C.rocksdb_writebatch_put_cf(
                batch, columnFamily, keyPointer, (nuint)key.Length, valuePointer, (nuint)value.Length);
        }
    }

    public void Delete(TColumn column, ReadOnlySpan<byte> key)
    {
        var batch = Batch();
        var columnFamily = _db.ColumnFamily(column);
        using var db = _db.Lease();
        fixed (byte* keyPointer = key)
        {
            RocksApi.C.rocksdb_writebatch_delete_cf(batch, columnFamily, keyPointer, (nuint)key.Length);
        }
    }

    /// <summary>Writes every buffered operation atomically, then empties the batch.</summary>
    public void Commit(WriteMode mode = WriteMode.None)
    {
        var batch = Batch();
        var writeOptions = _db.WriteOptions(mode);
        using var db = _db.Lease();
        nint error;
        RocksApi.C.rocksdb_write(db.Pointer, writeOptions, batch, out error);
        NativeErrors.ThrowIfError(error, "write batch");
        RocksApi.C.rocksdb_writebatch_clear(batch);
    }

    /// <summary>Drops every buffered operation without writing it.</summary>
    public void Clear() => RocksApi.C.rocksdb_writebatch_clear(Batch());

    /// <summary>Discards anything not committed. Idempotent.</summary>
    public void Dispose() => _batch.Dispose();

    private nint Batch()
    {
        ObjectDisposedException.ThrowIf(_batch.IsClosed, this);
        return _batch.DangerousGetHandle();
    }
}
