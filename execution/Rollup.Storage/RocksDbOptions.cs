namespace Rollup.Storage;

/// <summary>Database-wide settings for <see cref="RocksDb{TColumn}.Open"/>.</summary>
public sealed record RocksDbOptions
{
    /// <summary>Create the directory and database when missing (column families are always created when missing).</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>
    /// Capacity of the one LRU block cache every column family shares. Index and filter blocks live in it
    /// too, so this bounds read memory as a whole.
    /// </summary>
    public long BlockCacheBytes { get; init; } = 128L << 20;

    /// <summary>
    /// How many SST files RocksDB keeps open (-1: all). Bounded so the node stays under the usual 1024
    /// descriptor soft limit next to its sockets; index and filter blocks are cached, so reopening is cheap.
    /// </summary>
    public int MaxOpenFiles { get; init; } = 512;

    /// <summary>Background threads for flushes and compactions; RocksDB's default is a single one.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Settings for every column that the per-column callback of <see cref="RocksDb{TColumn}.Open"/> does not override.</summary>
    public ColumnOptions Columns { get; init; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(BlockCacheBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOpenFiles, -1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1);
        ArgumentNullException.ThrowIfNull(Columns);
        Columns.Validate();
    }
}
