using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Batches;

/// <summary>
/// A batch ready to post: its commitment, the domain claims its claims root is the tree of (sent with it), its blocks,
/// the frame cut into parts, and the withdrawals it carries.
/// </summary>
public sealed record PreparedBatch(
    BatchCommitment Commitment,
    IReadOnlyList<(DomainId Domain, DomainClaim Claim)> Claims,
    L2Batch Batch,
    byte[] Frame,
    IReadOnlyList<ReadOnlyMemory<byte>> Parts,
    IReadOnlyList<Withdrawal> Withdrawals);
