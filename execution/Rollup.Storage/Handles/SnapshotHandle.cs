using Rollup.Storage.Native;

namespace Rollup.Storage.Handles;

/// <summary>A <c>rocksdb_snapshot_t</c>; holds its database open until it is released.</summary>
internal sealed class SnapshotHandle : RocksSafeHandle
{
    private readonly nint _db;

    public SnapshotHandle(DbHandle db)
    {
        DependOn(db);
        _db = db.DangerousGetHandle();
        Attach(RocksApi.C.rocksdb_create_snapshot(_db), "snapshot");
    }

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_release_snapshot(_db, pointer);
}
