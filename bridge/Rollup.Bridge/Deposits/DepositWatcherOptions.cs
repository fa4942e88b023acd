namespace Rollup.Bridge.Deposits;

public sealed record DepositWatcherOptions
{
    /// <summary>A deposit is credited once its block has this many blocks on top (0: as soon as it is seen).</summary>
    public int Confirmations { get; init; } = 2;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Recent L1 blocks remembered to find where a reorg forked; deeper reorgs than this cannot be followed.</summary>
    public int MaxTrackedBlocks { get; init; } = 1024;
}
