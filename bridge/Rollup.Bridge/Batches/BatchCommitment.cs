using Rollup.Primitives;

namespace Rollup.Bridge.Batches;

/// <summary>What the settlement contract records for a batch (docs/contract.md, <c>Commitment</c>), field for field.</summary>
public sealed record BatchCommitment(
    ulong BatchIndex,
    ulong FirstBlock,
    ulong LastBlock,
    Hash256 BatchDataHash,
    Hash256 PrevStateRoot,
    Hash256 NewStateRoot,
    Hash256 MarketRootsRoot,
    Hash256 WithdrawalsRoot,
    ulong DepositCursor,
    ulong FirstSequence,
    ulong TxCount,
    Hash256 TxRoot,
    Hash256 BlocksRoot,
    Hash256 ClaimsRoot);
