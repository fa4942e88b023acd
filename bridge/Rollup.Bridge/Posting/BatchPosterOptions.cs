using Rollup.Primitives.Compression;

namespace Rollup.Bridge.Posting;

public sealed record BatchPosterOptions
{
    /// <summary>How often the poster looks for blocks to post; a batch takes every block executed since the last.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    public int MaxBlocksPerBatch { get; init; } = 2_000;

    public int MaxTransactionsPerBatch { get; init; } = 100_000;

    public CompressionCodecId Codec { get; init; } = CompressionCodecId.Zstd;

    public int MaxPartBytes { get; init; } = Batches.BatchParts.DefaultMaxPartBytes;

    /// <summary>Where the poster remembers which blocks it put in the batch it is posting, so a restart posts the same bytes.</summary>
    public string? IntentFile { get; init; }
}
