using Rollup.Storage.Native;

namespace Rollup.Storage.Handles;

/// <summary>A <c>rocksdb_checkpoint_t</c>; holds its database open until it is destroyed.</summary>
internal sealed unsafe class CheckpointHandle : RocksSafeHandle
{
    public CheckpointHandle(DbHandle db)
    {
        DependOn(db);
        nint error;
        var checkpoint = RocksApi.C.rocksdb_checkpoint_object_create(db.DangerousGetHandle(), out error);
        if (error != 0)
        {
            ReleaseDependencies();
            NativeErrors.ThrowIfError(error, "checkpoint");
        }
        Attach(checkpoint, "checkpoint");
    }

    /// <summary>Writes a checkpoint into <paramref name="directory"/>, which must not exist yet.</summary>
    public void WriteTo(string directory)
    {
        nint error;
        // log_size_for_flush 0: always flush the memtables first, so the checkpoint holds every write,
        // including those made without the WAL.
        RocksApi.C.rocksdb_checkpoint_create(handle, directory, 0, out error);
        NativeErrors.ThrowIfError(error, "checkpoint");
    }

    protected override void Destroy(nint pointer) => RocksApi.C.rocksdb_checkpoint_object_destroy(pointer);
}
