using Rollup.Storage.Handles;

namespace Rollup.Storage;

/// <summary>
/// A point-in-time view made by <see cref="RocksDb{TColumn}.CreateSnapshot"/>; pass it to reads and
/// iterators of the same database. Holds the database open until disposed. Dispose is idempotent.
/// </summary>
public sealed class RocksSnapshot : IDisposable
{
    private readonly DbHandle _owner;
    private readonly SnapshotHandle _snapshot;
    private readonly ReadOptionsHandle _readOptions;

    internal RocksSnapshot(DbHandle owner)
    {
        _owner = owner;
        _snapshot = new SnapshotHandle(owner);
        try
        {
            _readOptions = new ReadOptionsHandle(_snapshot);
        }
        catch
        {
            _snapshot.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _readOptions.Dispose();
        _snapshot.Dispose();
    }

    /// <summary>Read options that read as of this snapshot.</summary>
    internal ReadOptionsHandle ReadOptionsFor(DbHandle db)
    {
        CheckOwner(db);
        return _readOptions;
    }

    internal SnapshotHandle HandleFor(DbHandle db)
    {
        CheckOwner(db);
        return _snapshot;
    }

    private void CheckOwner(DbHandle db)
    {
        ObjectDisposedException.ThrowIf(_snapshot.IsClosed, this);
        if (!ReferenceEquals(db, _owner))
        {
            throw new ArgumentException("The snapshot belongs to another database.");
        }
    }
}
