using Rollup.Storage.Handles;

namespace Rollup.Storage.Native;

/// <summary>Turns <see cref="RocksDbOptions"/> and <see cref="ColumnOptions"/> into <c>rocksdb_options_t</c>s.</summary>
internal static class NativeOptionsFactory
{
    private const int InfoLogLevelWarn = 2;
    private const nuint ManifestPreallocationBytes = 64 << 10;

    /// <summary>Database-wide options; they also configure RocksDB's <c>default</c> column family.</summary>
    public static OptionsHandle CreateDatabaseOptions(RocksDbOptions options, CacheHandle cache)
    {
        var native = new OptionsHandle();
        var pointer = native.DangerousGetHandle();
        RocksApi.C.rocksdb_options_set_create_if_missing(pointer, options.CreateIfMissing ? (byte)1 : (byte)0);
        // Column families are derived from the enum: a new member simply becomes a new column.
        RocksApi.C.rocksdb_options_set_create_missing_column_families(pointer, 1);
        // Sizes the background pool for flushes and compactions; RocksDB's default is one thread.
        RocksApi.C.rocksdb_options_increase_parallelism(pointer, options.Parallelism);
        RocksApi.C.rocksdb_options_set_max_open_files(pointer, options.MaxOpenFiles);
        // Let the OS write SST data back every MiB instead of in one burst at the file's final fsync.
        RocksApi.C.rocksdb_options_set_bytes_per_sync(pointer, 1UL << 20);
        // The same for the WAL of a database written without fsync (the state): otherwise its dirty pages pile up
        // until the memtable switch syncs them in one burst that queues ahead of the tx log's fsync and stalls acks.
        RocksApi.C.rocksdb_options_set_wal_bytes_per_sync(pointer, 1UL << 20);
        // Flushes run at the lowest CPU priority (nice 19): they can wait, a tx's ack cannot. Compactions cannot fall behind.
        RocksApi.C.rocksdb_options_set_env(pointer, LowPriorityFlushEnv.Pointer);
        // RocksDB's own LOG file in the directory: warnings only, and only a few old ones kept (one per open).
        RocksApi.C.rocksdb_options_set_info_log_level(pointer, InfoLogLevelWarn);
        RocksApi.C.rocksdb_options_set_keep_log_file_num(pointer, 5);
        // The MANIFEST gets an edit per flush or compaction, a few hundred bytes: RocksDB's 4 MiB reservation per
        // database shows on the disk of every small node for nothing.
        RocksApi.C.rocksdb_options_set_manifest_preallocation_size(pointer, ManifestPreallocationBytes);
        ApplyColumn(native, options.Columns, cache);
        return native;
    }

    public static OptionsHandle CreateColumnOptions(ColumnOptions column, CacheHandle cache)
    {
        var native = new OptionsHandle();
        ApplyColumn(native, column, cache);
        return native;
    }

    private static void ApplyColumn(OptionsHandle native, ColumnOptions column, CacheHandle cache)
    {
        var pointer = native.DangerousGetHandle();
        RocksApi.C.rocksdb_options_set_write_buffer_size(pointer, (nuint)column.WriteBufferBytes);
        RocksApi.C.rocksdb_options_set_compression(pointer, NativeCompression(column.Compression));
        // Level targets follow the data actually present, which keeps space amplification near 1.1x
        // while the database grows instead of sizing levels for a final size it has not reached.
        RocksApi.C.rocksdb_options_set_level_compaction_dynamic_level_bytes(pointer, 1);
        if (column.PrefixLength > 0)
        {
            // The options take ownership of the slice transform.
            RocksApi.C.rocksdb_options_set_prefix_extractor(
                pointer, RocksApi.C.rocksdb_slicetransform_create_fixed_prefix((nuint)column.PrefixLength));
        }

        using var table = new BlockBasedOptionsHandle();
        var tablePointer = table.DangerousGetHandle();
        RocksApi.C.rocksdb_block_based_options_set_block_size(tablePointer, (nuint)column.BlockSizeBytes);
        RocksApi.C.rocksdb_block_based_options_set_block_cache(tablePointer, cache.DangerousGetHandle());
        if (column.BloomBitsPerKey > 0)
        {
            // Full filters: one per SST, checked once per lookup. The table options take ownership.
            RocksApi.C.rocksdb_block_based_options_set_filter_policy(
                tablePointer, RocksApi.C.rocksdb_filterpolicy_create_bloom_full(column.BloomBitsPerKey));
        }
        // Index and filter blocks are charged to the shared cache, so memory stays bounded as files accumulate.
        RocksApi.C.rocksdb_block_based_options_set_cache_index_and_filter_blocks(tablePointer, 1);
        // Every lookup consults every L0 file: keep their index and filter blocks from being evicted.
        RocksApi.C.rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(tablePointer, 1);
        // Copies the table options (and shares the cache and filter policy by reference count).
        RocksApi.C.rocksdb_options_set_block_based_table_factory(pointer, tablePointer);
    }

    // Values of the compression enum in c.h.
    private static int NativeCompression(ColumnCompression compression) => compression switch
    {
        ColumnCompression.None => 0,
        ColumnCompression.Lz4 => 4,
        ColumnCompression.Zstd => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown compression."),
    };
}
