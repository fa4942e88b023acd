namespace Rollup.Storage;

/// <summary>Settings of one column family.</summary>
public sealed record ColumnOptions
{
    /// <summary>
    /// Block compression. LZ4 by default: cheap enough to leave on for every level, and it pays on encoded
    /// records; columns of hashes or other random bytes should use <see cref="ColumnCompression.None"/>.
    /// </summary>
    public ColumnCompression Compression { get; init; } = ColumnCompression.Lz4;

    /// <summary>
    /// Bits per key of the full (whole-SST) bloom filter; 10 gives about 1% false positives. 0 disables
    /// filters, for columns only ever scanned.
    /// </summary>
    public double BloomBitsPerKey { get; init; } = 10;

    /// <summary>
    /// Length of a fixed key prefix to index in the bloom filters (0: none). Prefix iterators whose prefix
    /// has exactly this length then skip files without that prefix, and move forward only (see
    /// <see cref="RocksDb{TColumn}.CreatePrefixIterator"/>). Keys shorter than this are allowed.
    /// </summary>
    public int PrefixLength { get; init; }

    /// <summary>The default of <see cref="WriteBufferBytes"/>: 64 MiB.</summary>
    public const long DefaultWriteBufferBytes = 64L << 20;

    /// <summary>
    /// Memtable size before it is flushed to an SST file; larger absorbs write bursts, costs memory. RocksDB also
    /// reserves (fallocates) the write-ahead log 1.1 times the largest of these ahead of its data, so a young
    /// database's disk use is about that, whatever it holds.
    /// </summary>
    public long WriteBufferBytes { get; init; } = DefaultWriteBufferBytes;

    /// <summary>
    /// Uncompressed size of a data block. 16 KiB instead of RocksDB's 4 KiB: a smaller index for the cache
    /// to hold, for slightly more bytes read per point lookup.
    /// </summary>
    public int BlockSizeBytes { get; init; } = 16 << 10;

    internal void Validate()
    {
        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentOutOfRangeException(nameof(Compression), Compression, "Unknown compression.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(BloomBitsPerKey);
        ArgumentOutOfRangeException.ThrowIfNegative(PrefixLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteBufferBytes, 64L << 10);
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockSizeBytes, 512);
    }
}

/// <summary>
/// Block compressions. The native RocksDB that RocksDbSharp bundles links LZ4 and zstd (OpenTests checks each opens
/// and round-trips).
/// </summary>
public enum ColumnCompression
{
    None,
    Lz4,
    Zstd,
}
