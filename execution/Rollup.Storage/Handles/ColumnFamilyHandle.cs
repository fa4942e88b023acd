using Rollup.Storage.Native;

namespace Rollup.Storage.Handles;

/// <summary>A <c>rocksdb_column_family_handle_t</c>; owned and destroyed by its <see cref="DbHandle"/>.</summary>
internal sealed class ColumnFamilyHandle : RocksSafeHandle
{
    public ColumnFamilyHandle(nint pointer) => Attach(pointer, "column family handle");

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_column_family_handle_destroy(pointer);
}
