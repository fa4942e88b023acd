using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The domain's claim in the batch before a disputed one, as <c>proveStartBroken</c> takes it (docs/disputes.md, "A
/// claim's start"): the claim as it stands, its end opened as its ABI words; or, for a market that batch does not
/// claim, the market's key shown absent from its claims root (no words, the path's ending leaf instead).
/// </summary>
public sealed record PreviousClaim(Hash256 Start, ulong Steps, byte[] EndWords, IReadOnlyList<Hash256> Siblings, Hash256 EndingKey, Hash256 EndingValueHash)
{
    /// <summary>
    /// <paramref name="domain"/>'s claim among <paramref name="before"/> (the batch before's claims as they stand),
    /// opened with <paramref name="endWords"/>, the words of this node's own end of it; or its absence if that batch
    /// does not claim the domain. Null with the reason when the claim there is not the one the words open (a claim
    /// this node does not hold true is no ground to show another wrong).
    /// </summary>
    public static (PreviousClaim? Previous, string? Reason) Of(StandingClaims before, DomainId domain, byte[]? endWords)
    {
        ArgumentNullException.ThrowIfNull(before);
        if (before.ClaimOf(domain) is not { } claim)
        {
            if (domain.Kind != DomainId.MarketKind)
            {
                return (null, "the batch before claims no accounts domain");
            }
            var absence = BatchClaimsRoot.Prove(before.Committed, domain);
            return (new PreviousClaim(Hash256.Zero, 0, [], absence.Siblings, absence.LeafKey, absence.LeafValueHash), null);
        }
        if (endWords is null)
        {
            return (null, $"this node has no end state of {domain} in the batch before");
        }
        var opened = Keccak256.Compute(endWords);
        return opened == claim.End
            ? (new PreviousClaim(claim.Start, claim.Steps, endWords, before.SiblingsOf(domain), Hash256.Zero, Hash256.Zero), null)
            : (null, $"the batch before's claim ends at {claim.End}, our end there is {opened}");
    }
}
