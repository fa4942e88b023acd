namespace Rollup.Storage.Tests;

public sealed class ReadWriteTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RocksDb<TestColumn> _db;

    public ReadWriteTests() => _db = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Put_ThenReadEveryWay_SeesTheValue()
    {
        _db.Put(TestColumn.Headers, Bytes.Of("k"), Bytes.Of("hello"));

        Assert.Equal("hello", Bytes.Text(_db.Get(TestColumn.Headers, Bytes.Of("k"))));
        Span<byte> buffer = stackalloc byte[16];
        Assert.True(_db.TryGet(TestColumn.Headers, Bytes.Of("k"), buffer, out var length));
        Assert.Equal("hello", Bytes.Text(buffer[..length]));
        using (var pinned = _db.GetPinned(TestColumn.Headers, Bytes.Of("k")))
        {
            Assert.True(pinned.Exists);
            Assert.Equal("hello", Bytes.Text(pinned.Span));
        }
        Assert.True(_db.Contains(TestColumn.Headers, Bytes.Of("k")));
        Assert.False(_db.Contains(TestColumn.Blocks, Bytes.Of("k")));
    }

    [Fact]
    public void AbsentKey_IsFalseOrNull_NotAnException()
    {
        Assert.Null(_db.Get(TestColumn.State, Bytes.Of("nope")));
        Assert.False(_db.TryGet(TestColumn.State, Bytes.Of("nope"), new byte[8], out var length));
        Assert.Equal(0, length);
        using var pinned = _db.GetPinned(TestColumn.State, Bytes.Of("nope"));
        Assert.False(pinned.Exists);
        Assert.True(pinned.Span.IsEmpty);
    }

    [Fact]
    public void EmptyValue_IsPresent_AndEmptyKeyWorks()
    {
        _db.Put(TestColumn.State, Bytes.Of("empty"), ReadOnlySpan<byte>.Empty);
        _db.Put(TestColumn.State, ReadOnlySpan<byte>.Empty, Bytes.Of("under the empty key"));

        Assert.Empty(_db.Get(TestColumn.State, Bytes.Of("empty"))!);
        Assert.True(_db.TryGet(TestColumn.State, Bytes.Of("empty"), Span<byte>.Empty, out var length));
        Assert.Equal(0, length);
        Assert.Equal("under the empty key", Bytes.Text(_db.Get(TestColumn.State, ReadOnlySpan<byte>.Empty)));
    }

    [Fact]
    public void TryGet_DestinationTooShort_Throws_AndCopiesNothing()
    {
        _db.Put(TestColumn.Blocks, Bytes.Of("k"), new byte[100]);
        var destination = new byte[10];
        Array.Fill(destination, (byte)7);

        var error = Assert.Throws<ArgumentException>(() => _db.TryGet(TestColumn.Blocks, Bytes.Of("k"), destination, out _));

        Assert.Contains("100", error.Message, StringComparison.Ordinal);
        Assert.All(destination, b => Assert.Equal(7, b));
    }

    [Fact]
    public void Delete_RemovesOnlyThatKey_AndDeletingAbsentKeyIsFine()
    {
        _db.Put(TestColumn.Headers, Bytes.Of("a"), Bytes.Of("1"));
        _db.Put(TestColumn.Headers, Bytes.Of("b"), Bytes.Of("2"));

        _db.Delete(TestColumn.Headers, Bytes.Of("a"));
        _db.Delete(TestColumn.Headers, Bytes.Of("never-there"));

        Assert.Null(_db.Get(TestColumn.Headers, Bytes.Of("a")));
        Assert.Equal("2", Bytes.Text(_db.Get(TestColumn.Headers, Bytes.Of("b"))));
    }

    [Fact]
    public void WriteModes_SyncAndDisableWal_Write_ButTogetherAreRefusedByRocksDb()
    {
        _db.Put(TestColumn.Headers, Bytes.Of("sync"), Bytes.Of("1"), WriteMode.Sync);
        _db.Put(TestColumn.Headers, Bytes.Of("nowal"), Bytes.Of("2"), WriteMode.DisableWal);

        Assert.Equal("1", Bytes.Text(_db.Get(TestColumn.Headers, Bytes.Of("sync"))));
        Assert.Equal("2", Bytes.Text(_db.Get(TestColumn.Headers, Bytes.Of("nowal"))));
        var error = Assert.Throws<RocksDbException>(
            () => _db.Put(TestColumn.Headers, Bytes.Of("both"), Bytes.Of("3"), WriteMode.Sync | WriteMode.DisableWal));
        Assert.Contains("WAL", error.NativeMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentOutOfRangeException>(() => _db.Put(TestColumn.Headers, Bytes.Of("k"), Bytes.Of("v"), (WriteMode)8));
    }

    [Fact]
    public void UnknownColumnValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _db.Get((TestColumn)3, Bytes.Of("k")));
        Assert.Throws<ArgumentOutOfRangeException>(() => _db.Put((TestColumn)(-1), Bytes.Of("k"), Bytes.Of("v")));
    }

    [Fact]
    public void ColumnView_IsAKeyValueStoreOverOneColumn()
    {
        var headers = _db.GetColumn(TestColumn.Headers);

        Assert.IsAssignableFrom<IKeyValueStore>(headers);
        headers.Set(Bytes.Of("h"), Bytes.Of("header"));

        Assert.Equal("header", Bytes.Text(headers.Get(Bytes.Of("h"))));
        Assert.Equal("header", Bytes.Text(_db.Get(TestColumn.Headers, Bytes.Of("h"))));
        Assert.Null(_db.Get(TestColumn.Blocks, Bytes.Of("h")));
        headers.Remove(Bytes.Of("h"));
        Assert.False(headers.TryGet(Bytes.Of("h"), new byte[8], out _));
        Assert.Same(headers, _db.GetColumn(TestColumn.Headers));
    }

    [Fact]
    public void Properties_AreReadable_AndUnknownOnesAreNull()
    {
        _db.Put(TestColumn.Blocks, Bytes.Of("k"), Bytes.Of("v"));

        Assert.Contains("DB Stats", _db.GetProperty("rocksdb.stats"), StringComparison.Ordinal);
        Assert.NotNull(_db.GetProperty(TestColumn.Blocks, "rocksdb.levelstats"));
        Assert.True(_db.GetIntProperty(TestColumn.Blocks, "rocksdb.cur-size-all-mem-tables") > 0);
        Assert.Null(_db.GetProperty("rocksdb.no-such-property"));
        Assert.Null(_db.GetIntProperty(TestColumn.Blocks, "rocksdb.no-such-property"));
    }
}
