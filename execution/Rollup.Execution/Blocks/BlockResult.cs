using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Blocks;

/// <summary>
/// A withdrawal made in a block: claimable on L1 by proof against the block's withdrawals root. <see cref="Drawn"/>
/// names the held credits it drew on (null if none): L1 pays it once their markets are final (docs/disputes.md).
/// </summary>
public readonly record struct Withdrawal(ulong BlockNumber, int TxIndex, Address Account, long Amount, ValueArray<HeldDraw>? Drawn = null);

/// <summary>The root of one market's tree after a block that touched it.</summary>
public readonly record struct MarketRoot(uint Market, Hash256 Root);

/// <summary>
/// What executing a block produced: the new roots (with the root of every market it touched, by market id), a
/// receipt per transaction, events and withdrawals.
/// </summary>
public sealed record BlockResult(
    ulong Number,
    ulong Timestamp,
    Hash256 StateRoot,
    Hash256 AccountsRoot,
    Hash256 MarketsRoot,
    Hash256 WithdrawalsRoot,
    IReadOnlyList<MarketRoot> MarketRoots,
    Receipt[] Receipts,
    IReadOnlyList<ExecutionEvent> Events,
    IReadOnlyList<Withdrawal> Withdrawals,
    IReadOnlyList<uint> FaultedMarkets);
