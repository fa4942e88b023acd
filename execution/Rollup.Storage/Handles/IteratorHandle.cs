using Rollup.Storage.Native;

namespace Rollup.Storage.Handles;

/// <summary>
/// A <c>rocksdb_iterator_t</c>. Holds its database (and so its column family handle) and its read options
/// (bounds, snapshot) open until the iterator is destroyed.
/// </summary>
internal sealed class IteratorHandle : RocksSafeHandle
{
    public IteratorHandle(DbHandle db, ReadOptionsHandle readOptions, ColumnFamilyHandle columnFamily)
    {
        DependOn(db, readOptions);
        Attach(
            RocksApi.C.rocksdb_create_iterator_cf(
                db.DangerousGetHandle(), readOptions.DangerousGetHandle(), columnFamily.DangerousGetHandle()),
            "iterator");
    }

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_iter_destroy(pointer);
}
