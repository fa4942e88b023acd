using Rollup.Bridge.Batches;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Validation;

/// <summary>
/// A batch as L1 holds it: the commitment and its domain claims (from <c>commitBatch</c>'s calldata, in key order) and
/// the parts posted for it, in order.
/// </summary>
public sealed record CommittedBatch(BatchCommitment Commitment, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> Claims, IReadOnlyList<ReadOnlyMemory<byte>> Parts, ulong L1Block);
