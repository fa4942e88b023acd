namespace Rollup.Storage.Tests;

public sealed class SnapshotTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RocksDb<TestColumn> _db;

    public SnapshotTests() => _db = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void SnapshotReads_SeeTheOldValue_AfterALaterWrite()
    {
        _db.Put(TestColumn.State, Bytes.Of("balance"), Bytes.Of("100"));
        _db.Put(TestColumn.State, Bytes.Of("gone"), Bytes.Of("here"));
        using var snapshot = _db.CreateSnapshot();

        _db.Put(TestColumn.State, Bytes.Of("balance"), Bytes.Of("50"));
        _db.Delete(TestColumn.State, Bytes.Of("gone"));
        _db.Put(TestColumn.State, Bytes.Of("new"), Bytes.Of("later"));
        _db.Flush(TestColumn.State);

        Assert.Equal("100", Bytes.Text(_db.Get(TestColumn.State, Bytes.Of("balance"), snapshot)));
        Assert.Equal("here", Bytes.Text(_db.Get(TestColumn.State, Bytes.Of("gone"), snapshot)));
        Assert.False(_db.Contains(TestColumn.State, Bytes.Of("new"), snapshot));
        Span<byte> buffer = stackalloc byte[8];
        Assert.True(_db.TryGet(TestColumn.State, Bytes.Of("balance"), buffer, out var length, snapshot));
        Assert.Equal("100", Bytes.Text(buffer[..length]));
        Assert.Equal("50", Bytes.Text(_db.Get(TestColumn.State, Bytes.Of("balance"))));
        Assert.Null(_db.Get(TestColumn.State, Bytes.Of("gone")));
    }

    [Fact]
    public void SnapshotIterators_SeeTheOldKeySet()
    {
        _db.Put(TestColumn.Headers, Bytes.Of("a"), Bytes.Of("1"));
        _db.Put(TestColumn.Headers, Bytes.Of("b"), Bytes.Of("2"));
        using var snapshot = _db.CreateSnapshot();
        _db.Delete(TestColumn.Headers, Bytes.Of("a"));
        _db.Put(TestColumn.Headers, Bytes.Of("c"), Bytes.Of("3"));

        using var old = _db.CreateIterator(TestColumn.Headers, snapshot);
        using var oldPrefixed = _db.CreatePrefixIterator(TestColumn.Headers, Bytes.Of("a"), snapshot);
        using var current = _db.CreateIterator(TestColumn.Headers);

        Assert.Equal(["a", "b"], Keys(old));
        Assert.Equal(["a"], Keys(oldPrefixed));
        Assert.Equal(["b", "c"], Keys(current));
    }

    [Fact]
    public void Snapshot_OfAnotherDatabase_OrDisposed_IsRefused()
    {
        using var other = RocksDb.Open<TestColumn>(_temp.Combine("other"), Bytes.SmallOptions);
        using var foreign = other.CreateSnapshot();
        Assert.Throws<ArgumentException>(() => _db.Get(TestColumn.Headers, Bytes.Of("k"), foreign));
        Assert.Throws<ArgumentException>(() => _db.CreateIterator(TestColumn.Headers, foreign));

        var snapshot = _db.CreateSnapshot();
        snapshot.Dispose();
        snapshot.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _db.Get(TestColumn.Headers, Bytes.Of("k"), snapshot));
    }

    private static List<string> Keys(RocksIterator iterator)
    {
        var keys = new List<string>();
        for (var valid = iterator.SeekToFirst(); valid; valid = iterator.Next())
        {
            keys.Add(Bytes.Text(iterator.Key));
        }
        return keys;
    }
}
