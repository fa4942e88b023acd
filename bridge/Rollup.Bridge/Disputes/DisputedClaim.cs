using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// One domain's claim in a committed batch as a game names it: the claim posted, its siblings in the batch's claims
/// root, and every claim the batch was committed with (the one-step proofs open some of them).
/// </summary>
public sealed record DisputedClaim(ulong BatchIndex, DomainId Domain, DomainClaim Posted, IReadOnlyList<Hash256> Siblings, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> BatchClaims)
{
    /// <summary>The claim of <paramref name="domain"/> among the claims the batch was committed with (<c>CommittedBatch.Claims</c>).</summary>
    public static DisputedClaim Of(ulong batchIndex, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> claims, DomainId domain)
    {
        ArgumentNullException.ThrowIfNull(claims);
        foreach (var (d, claim) in claims)
        {
            if (d == domain)
            {
                return new DisputedClaim(batchIndex, domain, claim, BatchClaimsRoot.Prove(claims, domain).Siblings, claims);
            }
        }
        throw new ArgumentException($"batch {batchIndex} claims nothing for {domain}", nameof(domain));
    }
}
