namespace Rollup.Storage.Tests;

public sealed class BackgroundWorkTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Flush_RunsOnARocksDbThreadLoweredToNice19()
    {
        using var db = RocksDb.Open<TestColumn>(_temp.Combine("db"), Bytes.SmallOptions);
        db.Put(TestColumn.State, Bytes.Of("key"), Bytes.Of("value"));

        db.Flush(TestColumn.State); // returns once a thread of the high-priority (flush) pool has run the flush

        var flushThreadNices = new List<int>();
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            // A thread of the process (a thread-pool worker, another test's) may end between the listing and the read.
            if (TryRead(Path.Combine(task, "comm")) is { } name && name.StartsWith("rocksdb:high", StringComparison.Ordinal))
            {
                flushThreadNices.Add(ThreadStat.NiceOf(Path.Combine(task, "stat")));
            }
        }
        Assert.NotEmpty(flushThreadNices);
        Assert.Contains(19, flushThreadNices);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is DirectoryNotFoundException or FileNotFoundException)
        {
            return null;
        }
    }

    [Fact]
    public void Open_WritesBackSstsAndWalsEveryMiB_InTheOptionsFileRocksDbKeeps()
    {
        var path = _temp.Combine("db");
        using var db = RocksDb.Open<TestColumn>(path, Bytes.SmallOptions);

        // RocksDB records the options it opened with in OPTIONS-<number>, one "name=value" per line.
        var written = File.ReadAllLines(Directory.GetFiles(path, "OPTIONS-*").Max()!);
        Assert.Contains("  bytes_per_sync=1048576", written);
        Assert.Contains("  wal_bytes_per_sync=1048576", written);
    }
}
