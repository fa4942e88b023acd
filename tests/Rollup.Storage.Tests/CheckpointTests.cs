namespace Rollup.Storage.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Checkpoint_OpensWithTheSameData_AndLaterSourceWritesStayOut()
    {
        var checkpointPath = _temp.Combine("checkpoint");
        using var source = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);
        foreach (var column in Enum.GetValues<TestColumn>())
        {
            source.Put(column, Bytes.Of("shared"), Bytes.Of($"{column} before"));
        }
        source.Flush(TestColumn.Headers);
        source.Put(TestColumn.Blocks, Bytes.Of("unlogged"), Bytes.Of("no wal"), WriteMode.DisableWal);

        source.CreateCheckpoint(checkpointPath);
        source.Put(TestColumn.Headers, Bytes.Of("shared"), Bytes.Of("after"));
        source.Put(TestColumn.State, Bytes.Of("later"), Bytes.Of("after"));

        using var copy = RocksDb.Open<TestColumn>(checkpointPath, Bytes.SmallOptions);
        foreach (var column in Enum.GetValues<TestColumn>())
        {
            Assert.Equal($"{column} before", Bytes.Text(copy.Get(column, Bytes.Of("shared"))));
        }
        Assert.Equal("no wal", Bytes.Text(copy.Get(TestColumn.Blocks, Bytes.Of("unlogged"))));
        Assert.Null(copy.Get(TestColumn.State, Bytes.Of("later")));
        Assert.Equal("after", Bytes.Text(source.Get(TestColumn.Headers, Bytes.Of("shared"))));

        // And the other way round: the copy is a database of its own.
        copy.Put(TestColumn.State, Bytes.Of("copy only"), Bytes.Of("x"));
        Assert.False(source.Contains(TestColumn.State, Bytes.Of("copy only")));
    }

    [Fact]
    public void Checkpoint_IntoAnExistingDirectory_ThrowsWithRocksDbsMessage()
    {
        using var source = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);
        var existing = _temp.Combine("existing");
        Directory.CreateDirectory(existing);

        var error = Assert.Throws<RocksDbException>(() => source.CreateCheckpoint(existing));

        Assert.Contains("checkpoint", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(error.NativeMessage);
    }
}
