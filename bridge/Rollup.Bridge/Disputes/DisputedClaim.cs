using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// One domain's claim in a committed batch as a game names it: the claim as it stands (committed, or re-posted after a
/// fall), its siblings in the batch's claims root (none for a re-posted claim, which the settlement contract holds by
/// its hash), its version (0 as committed, n after the n-th re-post: the game ids follow it), and every claim the batch
/// was committed with (the one-step proofs open some of them, as they stand: <see cref="Standing"/>).
/// </summary>
public sealed record DisputedClaim(ulong BatchIndex, DomainId Domain, DomainClaim Posted, IReadOnlyList<Hash256> Siblings, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> BatchClaims)
{
    public uint Version { get; init; }

    /// <summary>The batch's claims as they stand on L1, which a one-step proof opens: committed, or re-posted per domain.</summary>
    public StandingClaims Standing { get; init; } = StandingClaims.AsCommitted(BatchClaims);

    /// <summary>
    /// The claim of <paramref name="domain"/> in <paramref name="batch"/> as it now stands on L1: its latest re-post among
    /// <paramref name="reposts"/> if one covers the batch (its version the number that do), else as committed.
    /// </summary>
    public static DisputedClaim AsItStands(CommittedBatch batch, IReadOnlyList<RepostedClaims> reposts, DomainId domain)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(reposts);
        var index = batch.Commitment.BatchIndex;
        var standing = StandingClaims.Of(index, batch.Claims, reposts);
        if (!standing.Reposted.TryGetValue(domain, out var latest))
        {
            return Of(index, batch.Claims, domain) with { Standing = standing };
        }
        var version = 0u;
        foreach (var r in reposts)
        {
            if (r.Domain == domain && r.ClaimOf(index) is not null)
            {
                version++;
            }
        }
        return new DisputedClaim(index, domain, latest, [], batch.Claims) { Version = version, Standing = standing };
    }

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
