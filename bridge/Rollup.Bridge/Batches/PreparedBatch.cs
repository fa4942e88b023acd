using Rollup.Execution.Blocks;

namespace Rollup.Bridge.Batches;

/// <summary>A batch ready to post: its commitment, its blocks, the frame cut into parts, and the withdrawals it carries.</summary>
public sealed record PreparedBatch(
    BatchCommitment Commitment,
    L2Batch Batch,
    byte[] Frame,
    IReadOnlyList<ReadOnlyMemory<byte>> Parts,
    IReadOnlyList<Withdrawal> Withdrawals);
