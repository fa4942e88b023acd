using Rollup.Primitives;

namespace Rollup.Execution.State;

/// <summary>The last executed block and the chain-wide counters the conservation rule is checked against.</summary>
public sealed record ChainHead
{
    public ulong BlockNumber { get; init; }

    public ulong Timestamp { get; init; }

    public Hash256 StateRoot { get; init; }

    /// <summary>The next L1 deposit index to credit: deposits are consumed strictly in order.</summary>
    public ulong NextDepositIndex { get; init; }

    public long TotalDeposits { get; init; }

    public long TotalWithdrawals { get; init; }
}
