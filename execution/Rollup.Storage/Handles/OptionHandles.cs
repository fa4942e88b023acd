using Rollup.Storage.Native;

namespace Rollup.Storage.Handles;

/// <summary>A <c>rocksdb_options_t</c> (database-wide or one column family's). RocksDB copies it on open.</summary>
internal sealed class OptionsHandle : RocksSafeHandle
{
    public OptionsHandle() => Attach(RocksApi.C.rocksdb_options_create(), "options");

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_options_destroy(pointer);
}

/// <summary>A <c>rocksdb_block_based_table_options_t</c>; copied into the options' table factory.</summary>
internal sealed class BlockBasedOptionsHandle : RocksSafeHandle
{
    public BlockBasedOptionsHandle() => Attach(RocksApi.C.rocksdb_block_based_options_create(), "block-based table options");

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_block_based_options_destroy(pointer);
}

/// <summary>An LRU <c>rocksdb_cache_t</c>; RocksDB shares it by reference count with every table that uses it.</summary>
internal sealed class CacheHandle : RocksSafeHandle
{
    public CacheHandle(nuint capacity) => Attach(RocksApi.C.rocksdb_cache_create_lru(capacity), "LRU cache");

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_cache_destroy(pointer);
}

/// <summary>A <c>rocksdb_writeoptions_t</c>.</summary>
internal sealed class WriteOptionsHandle : RocksSafeHandle
{
    public WriteOptionsHandle(bool sync, bool disableWal)
    {
        Attach(RocksApi.C.rocksdb_writeoptions_create(), "write options");
        RocksApi.C.rocksdb_writeoptions_set_sync(handle, sync ? (byte)1 : (byte)0);
        RocksApi.C.rocksdb_writeoptions_disable_WAL(handle, disableWal ? 1 : 0);
    }

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_writeoptions_destroy(pointer);
}

/// <summary>A <c>rocksdb_flushoptions_t</c> that waits for the flush to finish.</summary>
internal sealed class FlushOptionsHandle : RocksSafeHandle
{
    public FlushOptionsHandle()
    {
        Attach(RocksApi.C.rocksdb_flushoptions_create(), "flush options");
        RocksApi.C.rocksdb_flushoptions_set_wait(handle, 1);
    }

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_flushoptions_destroy(pointer);
}

/// <summary>A <c>rocksdb_writebatch_t</c>: writes buffered in memory until <c>rocksdb_write</c>.</summary>
internal sealed class WriteBatchHandle : RocksSafeHandle
{
    public WriteBatchHandle() => Attach(RocksApi.C.rocksdb_writebatch_create(), "write batch");

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_writebatch_destroy(pointer);
}
