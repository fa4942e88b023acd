using System.Runtime.InteropServices;

namespace Rollup.Storage.Native;

/// <summary>
/// The slice of Debian's librocksdb 7.8 C API (<c>/usr/include/rocksdb/c.h</c>) that the node uses.
/// Opaque RocksDB objects are <see cref="nint"/>, <c>char*</c> is <c>byte*</c>, <c>size_t</c> is
/// <see cref="nuint"/>, <c>unsigned char</c> booleans are <see cref="byte"/>. Every <c>char** errptr</c>
/// is left null by RocksDB on success and otherwise receives a malloc()ed message that
/// <see cref="NativeErrors.ThrowIfError"/> turns into a <see cref="RocksDbException"/> and frees.
/// </summary>
/// <remarks>
/// Ownership rules that are not visible in the header: <c>rocksdb_block_based_options_set_filter_policy</c>
/// and <c>rocksdb_options_set_prefix_extractor</c> take ownership of their argument (it must not be
/// destroyed afterwards); <c>rocksdb_options_set_block_based_table_factory</c> and
/// <c>rocksdb_block_based_options_set_block_cache</c> copy or share, so the caller keeps and destroys its own.
/// A read options object's iterate bounds point at caller memory, which must outlive every iterator made with it.
/// </remarks>
internal static unsafe partial class RocksDbNative
{
    private const string Library = "librocksdb.so.7.8";

    // Database

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_open_column_families(
        nint options, string name, int num_column_families, byte** column_family_names,
        nint* column_family_options, nint* column_family_handles, byte** errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_close(nint db);

    [LibraryImport(Library)]
    internal static partial void rocksdb_column_family_handle_destroy(nint handle);

    [LibraryImport(Library)]
    internal static partial void rocksdb_free(void* ptr);

    // Writes

    [LibraryImport(Library)]
    internal static partial void rocksdb_put_cf(
        nint db, nint options, nint column_family, byte* key, nuint keylen, byte* val, nuint vallen, byte** errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_delete_cf(
        nint db, nint options, nint column_family, byte* key, nuint keylen, byte** errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_write(nint db, nint options, nint batch, byte** errptr);

    // Reads

    /// <summary>Returns null when the key is absent (and no error is set).</summary>
    [LibraryImport(Library)]
    internal static partial nint rocksdb_get_pinned_cf(
        nint db, nint options, nint column_family, byte* key, nuint keylen, byte** errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_pinnableslice_destroy(nint slice);

    // A field read on the slice: cheap enough to skip the GC transition.
    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial byte* rocksdb_pinnableslice_value(nint slice, nuint* vlen);

    // Write batch

    [LibraryImport(Library)]
    internal static partial nint rocksdb_writebatch_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_destroy(nint batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_clear(nint batch);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial int rocksdb_writebatch_count(nint batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_put_cf(
        nint batch, nint column_family, byte* key, nuint klen, byte* val, nuint vlen);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_delete_cf(nint batch, nint column_family, byte* key, nuint klen);

    // Iterators

    [LibraryImport(Library)]
    internal static partial nint rocksdb_create_iterator_cf(nint db, nint options, nint column_family);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_destroy(nint iterator);

    // valid/key/value only read the iterator's current position: no locks, no I/O.
    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial byte rocksdb_iter_valid(nint iterator);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial byte* rocksdb_iter_key(nint iterator, nuint* klen);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial byte* rocksdb_iter_value(nint iterator, nuint* vlen);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_to_first(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_to_last(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek(nint iterator, byte* k, nuint klen);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_for_prev(nint iterator, byte* k, nuint klen);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_next(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_prev(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_get_error(nint iterator, byte** errptr);

    // Snapshots and checkpoints

    [LibraryImport(Library)]
    internal static partial nint rocksdb_create_snapshot(nint db);

    [LibraryImport(Library)]
    internal static partial void rocksdb_release_snapshot(nint db, nint snapshot);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_checkpoint_object_create(nint db, byte** errptr);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rocksdb_checkpoint_create(
        nint checkpoint, string checkpoint_dir, ulong log_size_for_flush, byte** errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_checkpoint_object_destroy(nint checkpoint);

    // Maintenance and introspection

    [LibraryImport(Library)]
    internal static partial void rocksdb_flush_cf(nint db, nint options, nint column_family, byte** errptr);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_flushoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_flushoptions_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_flushoptions_set_wait(nint options, byte wait);

    /// <summary>Returns null for an unknown property, else a malloc()ed string to free with rocksdb_free.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* rocksdb_property_value(nint db, string propname);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* rocksdb_property_value_cf(nint db, nint column_family, string propname);

    /// <summary>Returns 0 on success, -1 for an unknown or non-integer property.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rocksdb_property_int_cf(nint db, nint column_family, string propname, ulong* out_val);

    // Database and column family options

    [LibraryImport(Library)]
    internal static partial nint rocksdb_options_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_increase_parallelism(nint options, int total_threads);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_create_if_missing(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_create_missing_column_families(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_max_open_files(nint options, int value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_bytes_per_sync(nint options, ulong value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_wal_bytes_per_sync(nint options, ulong value);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_create_default_env();

    [LibraryImport(Library)]
    internal static partial void rocksdb_env_lower_high_priority_thread_pool_cpu_priority(nint env);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_env(nint options, nint env);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_info_log_level(nint options, int level);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_keep_log_file_num(nint options, nuint value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_write_buffer_size(nint options, nuint value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_compression(nint options, int type);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_level_compaction_dynamic_level_bytes(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_prefix_extractor(nint options, nint prefix_extractor);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_block_based_table_factory(nint options, nint table_options);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_slicetransform_create_fixed_prefix(nuint length);

    // Block-based tables, cache and filters

    [LibraryImport(Library)]
    internal static partial nint rocksdb_block_based_options_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_block_size(nint options, nuint block_size);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_block_cache(nint options, nint block_cache);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_filter_policy(nint options, nint filter_policy);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_cache_index_and_filter_blocks(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(
        nint options, byte value);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_filterpolicy_create_bloom_full(double bits_per_key);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_cache_create_lru(nuint capacity);

    [LibraryImport(Library)]
    internal static partial void rocksdb_cache_destroy(nint cache);

    [LibraryImport(Library)]
    internal static partial nuint rocksdb_cache_get_usage(nint cache);

    // Read and write options

    [LibraryImport(Library)]
    internal static partial nint rocksdb_readoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_snapshot(nint options, nint snapshot);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_iterate_lower_bound(nint options, byte* key, nuint keylen);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_iterate_upper_bound(nint options, byte* key, nuint keylen);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_prefix_same_as_start(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_total_order_seek(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_writeoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_set_sync(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_disable_WAL(nint options, int disable);
}
