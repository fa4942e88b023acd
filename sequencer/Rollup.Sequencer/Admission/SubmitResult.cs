using Rollup.Execution.Acks;
using Rollup.Primitives;

namespace Rollup.Sequencer.Admission;

/// <summary>
/// The answer to a submission. When accepted: the sequence number, the transaction hash and the signed
/// <see cref="AckTree"/> holding (sequence, hash) at leaf <see cref="AckLeaf"/>: a receipt the client can hold against
/// the batch (<see cref="AckSigning"/>).
/// </summary>
public readonly record struct SubmitResult(SubmitStatus Status, string? Detail, ulong Sequence, Hash256 TxHash, AckTree? AckTree, int AckLeaf)
{
    public bool IsAccepted => Status == SubmitStatus.Accepted;

    public static SubmitResult Rejected(SubmitStatus status, string detail) => new(status, detail, 0, default, null, 0);
}
