using Rollup.Bridge.Batches;

namespace Rollup.Bridge.Validation;

/// <summary>A batch as L1 holds it: the commitment (from <c>commitBatch</c>'s calldata) and the parts posted for it, in order.</summary>
public sealed record CommittedBatch(BatchCommitment Commitment, IReadOnlyList<ReadOnlyMemory<byte>> Parts, ulong L1Block);
