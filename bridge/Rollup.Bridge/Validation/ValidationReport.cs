using Rollup.Execution.Steps;

namespace Rollup.Bridge.Validation;

/// <summary>The verdict on one committed batch: agreed, or each disagreement in words, with the markets at fault.</summary>
public sealed record ValidationReport(ulong BatchIndex, ulong FirstBlock, ulong LastBlock, IReadOnlyList<string> Mismatches, IReadOnlyList<uint> FaultyMarkets)
{
    public bool Agrees => Mismatches.Count == 0;

    /// <summary>
    /// The domains whose posted claim is not this validator's, each with both: what a challenger disputes (the posted
    /// claim, named as L1 holds it) and the end it believes in. Empty when the claims agree.
    /// </summary>
    public IReadOnlyList<ClaimDisagreement> DisputedClaims { get; init; } = [];

    /// <summary>
    /// Claims not this validator's that change no state (docs/disputes.md, "A claim that changes nothing"): said, and
    /// not stopped at, so that such a claim cannot halt validation of the batches after it.
    /// </summary>
    public IReadOnlyList<string> Tolerated { get; init; } = [];

    /// <summary>
    /// Commitment fields not this validator's that no game decides (its state roots, transaction and blocks roots,
    /// counts, deposit cursor; docs/disputes.md, "What a game does not decide"): said at Critical, and not stopped at.
    /// </summary>
    public IReadOnlyList<string> Undecided { get; init; } = [];

    /// <summary>How many re-posts L1 held when the claims were compared (-1: the claims agreed as committed, none were read).</summary>
    public int RepostsSeen { get; init; } = -1;
}

/// <summary>One domain's claim as the batch posted it (null if the batch claims no such domain) and as this validator makes it (null likewise).</summary>
public sealed record ClaimDisagreement(DomainId Domain, DomainClaim? Posted, DomainClaim? Ours);
