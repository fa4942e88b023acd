using Rollup.Storage.Native;

namespace Rollup.Storage;

public sealed partial class RocksDb<TColumn>
{
    /// <summary>Writes one key; overwrites any value it had.</summary>
    public unsafe void Put(TColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, WriteMode mode = WriteMode.None)
    {
        var columnFamily = ColumnFamily(column);
        var writeOptions = WriteOptions(mode);
        using var db = Lease();
        nint error;
        fixed (byte* keyPointer = key, valuePointer = value)
        {
            RocksApi.C.rocksdb_put_cf(
                db.Pointer, writeOptions, columnFamily, keyPointer, (nuint)key.Length, valuePointer, (nuint)value.Length, out error);
        }
        NativeErrors.ThrowIfError(error, "put");
    }

    /// <summary>Deletes one key; deleting an absent key is not an error.</summary>
    public unsafe void Delete(TColumn column, ReadOnlySpan<byte> key, WriteMode mode = WriteMode.None)
    {
        var columnFamily = ColumnFamily(column);
        var writeOptions = WriteOptions(mode);
        using var db = Lease();
        nint error;
        fixed (byte* keyPointer = key)
        {
            RocksApi.C.rocksdb_delete_cf(db.Pointer, writeOptions, columnFamily, keyPointer, (nuint)key.Length, out error);
        }
        NativeErrors.ThrowIfError(error, "delete");
    }

    /// <summary>Deletes every key in [<paramref name="start"/>, <paramref name="end"/>) with one range tombstone.</summary>
    public unsafe void DeleteRange(TColumn column, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end, WriteMode mode = WriteMode.None)
    {
        var columnFamily = ColumnFamily(column);
        var writeOptions = WriteOptions(mode);
        using var db = Lease();
        nint error;
        fixed (byte* startPointer = start, endPointer = end)
        {
            RocksApi.C.rocksdb_delete_range_cf(db.Pointer, writeOptions, columnFamily, startPointer, (nuint)start.Length, endPointer, (nuint)end.Length, out error);
        }
        NativeErrors.ThrowIfError(error, "delete range");
    }

    /// <summary>
    /// A batch of puts and deletes across columns, written atomically by
    /// <see cref="RocksWriteBatch{TColumn}.Commit"/>. Disposing it without committing discards it.
    /// </summary>
    public RocksWriteBatch<TColumn> CreateWriteBatch()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new RocksWriteBatch<TColumn>(this);
    }
}
