using System.Runtime.CompilerServices;
using Rollup.Storage.Handles;

namespace Rollup.Storage.Tests;

/// <summary>Tests that read the process-wide handle counter or memory run alone, after the others.</summary>
[CollectionDefinition(nameof(NativeAccounting), DisableParallelization = true)]
public sealed class NativeAccounting;

[Collection(nameof(NativeAccounting))]
public sealed class LifetimeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void DisposingTheDatabase_WithAnOpenIterator_DefersTheCloseUntilTheIteratorIsReleased()
    {
        var path = _temp.Combine("db");
        var db = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        db.Put(TestColumn.Headers, Bytes.Of("a"), Bytes.Of("1"));
        var iterator = db.CreateIterator(TestColumn.Headers);

        db.Dispose();

        // The iterator still reads its (still open) database ...
        Assert.True(iterator.SeekToFirst());
        Assert.Equal("1", Bytes.Text(iterator.Value));
        // ... which keeps the directory locked ...
        Assert.Throws<RocksDbException>(() => RocksDb.Open<TestColumn>(path, Bytes.SmallOptions));
        Assert.Throws<ObjectDisposedException>(() => db.Get(TestColumn.Headers, Bytes.Of("a")));
        // ... until the iterator goes, and the database really closes.
        iterator.Dispose();
        using var reopened = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        Assert.Equal("1", Bytes.Text(reopened.Get(TestColumn.Headers, Bytes.Of("a"))));
    }

    [Fact]
    public void DisposingTheDatabase_WithAnOpenSnapshot_DefersTheCloseUntilTheSnapshotIsReleased()
    {
        var path = _temp.Combine("db");
        var db = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        var snapshot = db.CreateSnapshot();
        var iteratorOnSnapshot = db.CreateIterator(TestColumn.Blocks, snapshot);

        db.Dispose();
        snapshot.Dispose(); // the iterator still needs it: released after the iterator
        Assert.Throws<RocksDbException>(() => RocksDb.Open<TestColumn>(path, Bytes.SmallOptions));
        Assert.False(iteratorOnSnapshot.SeekToFirst());
        iteratorOnSnapshot.Dispose();

        using var reopened = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
    }

    [Fact]
    public void DisposingTheDatabase_WithAPinnedValue_DefersTheCloseUntilTheValueIsReleased()
    {
        var path = _temp.Combine("db");
        var db = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        db.Put(TestColumn.State, Bytes.Of("k"), Bytes.Of("pinned"));
        db.Flush(TestColumn.State);
        var value = db.GetPinned(TestColumn.State, Bytes.Of("k"));

        db.Dispose();

        Assert.Equal("pinned", Bytes.Text(value.Span));
        Assert.Throws<RocksDbException>(() => RocksDb.Open<TestColumn>(path, Bytes.SmallOptions));
        value.Dispose();
        value.Dispose();
        using var reopened = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
    }

    [Fact]
    public void AbandonedIteratorAndSnapshot_AreReleasedByTheFinalizer_InASafeOrder()
    {
        var path = _temp.Combine("db");
        var before = NativeHandleCounter.Live;

        OpenAndAbandon(path);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(before, NativeHandleCounter.Live);
        using var reopened = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        Assert.Equal("v", Bytes.Text(reopened.Get(TestColumn.Headers, Bytes.Of("k"))));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OpenAndAbandon(string path)
    {
        var db = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        db.Put(TestColumn.Headers, Bytes.Of("k"), Bytes.Of("v"));
        var snapshot = db.CreateSnapshot();
        var iterator = db.CreatePrefixIterator(TestColumn.Headers, Bytes.Of("k"), snapshot);
        Assert.True(iterator.SeekToFirst());
        db.Dispose();
        // The iterator, the snapshot and with them the database are left to the finalizer.
    }

    [Fact]
    public void Dispose_IsIdempotent_AndEverythingAfterItThrowsObjectDisposed()
    {
        var db = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);
        db.Dispose();
        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => db.Put(TestColumn.Headers, Bytes.Of("k"), Bytes.Of("v")));
        Assert.Throws<ObjectDisposedException>(() => db.Get(TestColumn.Headers, Bytes.Of("k")));
        Assert.Throws<ObjectDisposedException>(() => db.CreateIterator(TestColumn.Headers));
        Assert.Throws<ObjectDisposedException>(() => db.CreateSnapshot());
        Assert.Throws<ObjectDisposedException>(() => db.CreateWriteBatch());
        Assert.Throws<ObjectDisposedException>(() => db.CreateCheckpoint(_temp.Combine("cp")));
        Assert.Throws<ObjectDisposedException>(() => db.Flush());
    }

    [Fact]
    public void ManyOpenUseCloseCycles_LeakNoHandles_AndNoMemory()
    {
        var path = _temp.Combine("db");
        for (var i = 0; i < 20; i++)
        {
            Cycle(path, i);
        }
        var handlesBefore = NativeHandleCounter.Live;
        var memoryBefore = SettledWorkingSet();

        for (var i = 20; i < 220; i++)
        {
            Cycle(path, i);
        }

        Assert.Equal(handlesBefore, NativeHandleCounter.Live);
        var growth = SettledWorkingSet() - memoryBefore;
        // A leaked database costs megabytes (memtables, table readers, cache); 200 of them would blow this.
        Assert.True(growth < 64L << 20, $"Working set grew by {growth / (1 << 20)} MiB over 200 cycles.");
    }

    private static void Cycle(string path, int round)
    {
        using var db = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        using (var batch = db.CreateWriteBatch())
        {
            for (var i = 0; i < 50; i++)
            {
                batch.Put(TestColumn.Blocks, BitConverter.GetBytes(round * 100 + i), new byte[100]);
            }
            batch.Commit();
        }
        using var snapshot = db.CreateSnapshot();
        db.Put(TestColumn.Headers, BitConverter.GetBytes(round), BitConverter.GetBytes(round));
        using (var pinned = db.GetPinned(TestColumn.Headers, BitConverter.GetBytes(round), snapshot))
        {
            Assert.False(pinned.Exists);
        }
        using var iterator = db.CreatePrefixIterator(TestColumn.Blocks, BitConverter.GetBytes(round * 100).AsSpan(0, 2));
        var count = 0;
        for (var valid = iterator.SeekToFirst(); valid; valid = iterator.Next())
        {
            count++;
        }
        Assert.True(count > 0);
    }

    private static long SettledWorkingSet()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Environment.WorkingSet;
    }
}
