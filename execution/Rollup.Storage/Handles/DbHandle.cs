using System.Runtime.InteropServices;
using Rollup.Storage.Native;

namespace Rollup.Storage.Handles;

/// <summary>
/// An open <c>rocksdb_t</c>. Its release destroys the column family handles, then closes the database,
/// then frees the option objects the database was using (shared cache, write/read/flush options).
/// Iterators, snapshots, checkpoints and pinned values hold a reference on it, so the close waits for them.
/// </summary>
internal sealed class DbHandle : RocksSafeHandle
{
    private readonly List<SafeHandle> _releasedAfterClose = [];
    private ColumnFamilyHandle[] _columnFamilies = [];

    public DbHandle(nint db) => Attach(db, "database");

    /// <summary>Column family handles to destroy before <c>rocksdb_close</c>.</summary>
    public void AdoptColumnFamilies(ColumnFamilyHandle[] columnFamilies) => _columnFamilies = columnFamilies;

    /// <summary>A handle the open database uses and that must outlive every call made through it.</summary>
    public T Adopt<T>(T owned)
        where T : SafeHandle
    {
        _releasedAfterClose.Add(owned);
        return owned;
    }

    protected override void Destroy(nint pointer)
    {
        foreach (var columnFamily in _columnFamilies)
        {
            columnFamily.Dispose();
        }
        RocksApi.C.rocksdb_close(pointer);
        foreach (var owned in _releasedAfterClose)
        {
            owned.Dispose();
        }
    }
}
