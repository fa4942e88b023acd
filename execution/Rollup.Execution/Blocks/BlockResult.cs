using Rollup.Primitives;

namespace Rollup.Execution.Blocks;

/// <summary>A withdrawal made in a block: claimable on L1 by proof against the block's withdrawals root.</summary>
public readonly record struct Withdrawal(ulong BlockNumber, int TxIndex, Address Account, long Amount);

/// <summary>What executing a block produced: the new roots, a receipt per transaction, events and withdrawals.</summary>
public sealed record BlockResult(
    ulong Number,
    ulong Timestamp,
    Hash256 StateRoot,
    Hash256 AccountsRoot,
    Hash256 MarketsRoot,
    Hash256 WithdrawalsRoot,
    Receipt[] Receipts,
    IReadOnlyList<ExecutionEvent> Events,
    IReadOnlyList<Withdrawal> Withdrawals,
    IReadOnlyList<uint> FaultedMarkets);
