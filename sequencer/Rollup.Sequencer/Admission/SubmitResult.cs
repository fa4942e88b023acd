using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Sequencer.Admission;

/// <summary>
/// The answer to a submission. When accepted: the sequence number, the transaction hash and the
/// sequencer's signature over both (an <see cref="AckSigning"/> receipt the client can hold against the batch).
/// </summary>
public readonly record struct SubmitResult(SubmitStatus Status, string? Detail, ulong Sequence, Hash256 TxHash, Signature AckSignature)
{
    public bool IsAccepted => Status == SubmitStatus.Accepted;

    public static SubmitResult Rejected(SubmitStatus status, string detail) => new(status, detail, 0, default, default);
}
