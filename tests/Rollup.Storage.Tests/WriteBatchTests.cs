namespace Rollup.Storage.Tests;

public sealed class WriteBatchTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RocksDb<TestColumn> _db;

    public WriteBatchTests() => _db = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void BatchThatThrowsBeforeCommit_WritesNothing()
    {
        _db.Put(TestColumn.State, Bytes.Of("existing"), Bytes.Of("old"));

        Assert.Throws<InvalidOperationException>(WriteThenFail);

        Assert.Null(_db.Get(TestColumn.Headers, Bytes.Of("h")));
        Assert.Null(_db.Get(TestColumn.Blocks, Bytes.Of("b")));
        Assert.Equal("old", Bytes.Text(_db.Get(TestColumn.State, Bytes.Of("existing"))));
    }

    private void WriteThenFail()
    {
        using var batch = _db.CreateWriteBatch();
        batch.Put(TestColumn.Headers, Bytes.Of("h"), Bytes.Of("1"));
        batch.Put(TestColumn.Blocks, Bytes.Of("b"), Bytes.Of("2"));
        batch.Delete(TestColumn.State, Bytes.Of("existing"));
        throw new InvalidOperationException("failure before commit");
    }

    [Fact]
    public void CommittedBatch_IsAllThere_AcrossColumns()
    {
        _db.Put(TestColumn.State, Bytes.Of("doomed"), Bytes.Of("x"));
        using (var batch = _db.CreateWriteBatch())
        {
            for (var i = 0; i < 100; i++)
            {
                batch.Put(TestColumn.Headers, BitConverter.GetBytes(i), Bytes.Of($"header {i}"));
                batch.Put(TestColumn.Blocks, BitConverter.GetBytes(i), Bytes.Of($"block {i}"));
            }
            batch.Delete(TestColumn.State, Bytes.Of("doomed"));
            Assert.Equal(201, batch.Count);
            // Nothing is visible before the commit.
            Assert.Null(_db.Get(TestColumn.Headers, BitConverter.GetBytes(0)));

            batch.Commit(WriteMode.Sync);

            Assert.Equal(0, batch.Count);
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"header {i}", Bytes.Text(_db.Get(TestColumn.Headers, BitConverter.GetBytes(i))));
            Assert.Equal($"block {i}", Bytes.Text(_db.Get(TestColumn.Blocks, BitConverter.GetBytes(i))));
        }
        Assert.Null(_db.Get(TestColumn.State, Bytes.Of("doomed")));
    }

    [Fact]
    public void Batch_IsReusableAfterCommit_AndClearDropsPendingWrites()
    {
        using var batch = _db.CreateWriteBatch();
        batch.Put(TestColumn.Headers, Bytes.Of("first"), Bytes.Of("1"));
        batch.Commit();
        batch.Put(TestColumn.Headers, Bytes.Of("dropped"), Bytes.Of("2"));
        batch.Clear();
        batch.Put(TestColumn.Headers, Bytes.Of("second"), Bytes.Of("3"));
        batch.Commit();

        Assert.Equal("1", Bytes.Text(_db.Get(TestColumn.Headers, Bytes.Of("first"))));
        Assert.Null(_db.Get(TestColumn.Headers, Bytes.Of("dropped")));
        Assert.Equal("3", Bytes.Text(_db.Get(TestColumn.Headers, Bytes.Of("second"))));
    }

    [Fact]
    public void DisposedBatch_Throws_AndDisposeIsIdempotent()
    {
        var batch = _db.CreateWriteBatch();
        batch.Dispose();
        batch.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batch.Put(TestColumn.Headers, Bytes.Of("k"), Bytes.Of("v")));
        Assert.Throws<ObjectDisposedException>(() => batch.Commit());
    }

    [Fact]
    public void BatchOfClosedDatabase_RefusesToCommit()
    {
        var path = _temp.Combine("other");
        var db = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);
        using var batch = db.CreateWriteBatch();
        batch.Put(TestColumn.Headers, Bytes.Of("k"), Bytes.Of("v"));
        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batch.Commit());
        Assert.Throws<ObjectDisposedException>(() => batch.Put(TestColumn.Headers, Bytes.Of("k"), Bytes.Of("v")));
    }
}
