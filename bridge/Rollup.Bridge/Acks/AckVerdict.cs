using Rollup.Primitives;

namespace Rollup.Bridge.Acks;

public enum AckVerdictKind
{
    /// <summary>The batch whose range holds the sequence holds the ack's transaction there.</summary>
    Kept,

    /// <summary>No committed batch's range holds the sequence yet: nothing to hold the ack against.</summary>
    NotYetPosted,

    /// <summary>The proof does not lead to the root, or the root is not signed by the settlement's sequencer.</summary>
    InvalidAck,

    /// <summary>The batch holds another transaction at the sequence: slashable at once.</summary>
    Equivocation,

    /// <summary>The batch's range holds the sequence but its transactions do not; slashable once the batch is final.</summary>
    Omission,

    /// <summary>
    /// The posted data does not match the commitment (its hash, or the tree of its transactions against the committed
    /// root): validators flag the batch, but no proof against the root can be built from the data.
    /// </summary>
    DataDisagrees,
}

/// <summary>
/// The slashing proof a violation needs: the batch, and either the transaction posted at the sequence with its
/// siblings (<see cref="AckVerdictKind.Equivocation"/>) or the leaf ending the sequence key's path, zero for an empty
/// subtree, with the siblings down to it (<see cref="AckVerdictKind.Omission"/>). Siblings root down.
/// </summary>
public sealed record AckEvidence(ulong BatchIndex, Hash256 PostedTxHash, Hash256 EndingKey, Hash256 EndingValueHash, IReadOnlyList<Hash256> Siblings, bool BatchFinal);

/// <summary>What checking an ack against L1 found; <see cref="Evidence"/> for a violation.</summary>
public sealed record AckVerdict(AckVerdictKind Kind, string Detail, AckEvidence? Evidence = null)
{
    /// <summary>The CLI's exit code: 0 kept, 1 violated, 3 not decidable from L1 (yet), 5 an invalid ack (2 and 4 are the CLI's own: bad arguments, L1 errors).</summary>
    public int ExitCode => Kind switch
    {
        AckVerdictKind.Kept => 0,
        AckVerdictKind.Equivocation or AckVerdictKind.Omission => 1,
        AckVerdictKind.InvalidAck => 5,
        _ => 3,
    };

    public bool Slashable => Kind == AckVerdictKind.Equivocation || (Kind == AckVerdictKind.Omission && Evidence is { BatchFinal: true });
}
