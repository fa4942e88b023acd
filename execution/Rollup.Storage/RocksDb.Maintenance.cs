using Rollup.Storage.Handles;
using Rollup.Storage.Native;

namespace Rollup.Storage;

public sealed partial class RocksDb<TColumn>
{
    /// <summary>
    /// Writes a consistent copy of the database into <paramref name="directory"/> (which must not exist yet;
    /// on the same filesystem SST files are hard-linked). The memtables are flushed first, so the copy holds
    /// every write made so far, including those without WAL. It opens as a database of its own.
    /// </summary>
    public void CreateCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        using var checkpoint = new CheckpointHandle(_db);
        checkpoint.WriteTo(Path.GetFullPath(directory));
    }

    /// <summary>Flushes every column's memtable to SST files and waits for it.</summary>
    public void Flush()
    {
        foreach (var column in Enum.GetValues<TColumn>())
        {
            Flush(column);
        }
    }

    /// <summary>Flushes one column's memtable to SST files and waits for it.</summary>
    public unsafe void Flush(TColumn column)
    {
        var columnFamily = ColumnFamily(column);
        using var db = Lease();
        nint error;
        RocksApi.C.rocksdb_flush_cf(db.Pointer, _flushOptions.DangerousGetHandle(), columnFamily, out error);
        NativeErrors.ThrowIfError(error, "flush");
    }

    /// <summary>Compacts the keys of one column in [<paramref name="start"/>, <paramref name="end"/>), so what was deleted there leaves the disk now.</summary>
    public unsafe void CompactRange(TColumn column, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end)
    {
        var columnFamily = ColumnFamily(column);
        using var db = Lease();
        fixed (byte* startPointer = start, endPointer = end)
        {
            RocksApi.C.rocksdb_compact_range_cf(db.Pointer, columnFamily, startPointer, (nuint)start.Length, endPointer, (nuint)end.Length);
        }
    }

    /// <summary>A database-wide RocksDB property (e.g. <c>rocksdb.stats</c>), or null when RocksDB has no such property.</summary>
    public unsafe string? GetProperty(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var db = Lease();
        return NativeErrors.TakeString(RocksApi.C.rocksdb_property_value(db.Pointer, name));
    }

    /// <summary>A column's RocksDB property (e.g. <c>rocksdb.levelstats</c>), or null when RocksDB has no such property.</summary>
    public unsafe string? GetProperty(TColumn column, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var columnFamily = ColumnFamily(column);
        using var db = Lease();
        return NativeErrors.TakeString(RocksApi.C.rocksdb_property_value_cf(db.Pointer, columnFamily, name));
    }

    /// <summary>
    /// A column's integer property (e.g. <c>rocksdb.estimate-num-keys</c>, <c>rocksdb.cur-size-all-mem-tables</c>),
    /// or null when RocksDB has no such integer property.
    /// </summary>
    public unsafe ulong? GetIntProperty(TColumn column, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var columnFamily = ColumnFamily(column);
        using var db = Lease();
        ulong value;
        return RocksApi.C.rocksdb_property_int_cf(db.Pointer, columnFamily, name, (nint)(&value)) == 0 ? value : null;
    }
}
