namespace Rollup.Bridge.Deposits;

public sealed record DepositWatcherOptions
{
    /// <summary>A deposit is credited once its block has this many blocks on top (0: as soon as it is seen).</summary>
    public int Confirmations { get; init; } = 2;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Recent L1 blocks remembered to find where a reorg forked; deeper reorgs than this cannot be followed.</summary>
    public int MaxTrackedBlocks { get; init; } = 1024;

    /// <summary>
    /// At start, how many of the newest credited deposits are compared with L1's queue (from the last one down), to catch
    /// a reorg deeper than <see cref="Confirmations"/> that put a different deposit at a credited index while the node was
    /// down. The comparison also ends after the first deposit queued more than <see cref="MaxTrackedBlocks"/> below the head.
    /// The last credited deposit is always compared (a smaller value counts as 1).
    /// </summary>
    public int StartCheckDeposits { get; init; } = 64;
}
