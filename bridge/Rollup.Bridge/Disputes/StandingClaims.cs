using Rollup.Bridge.Settlement;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// A batch's domain claims as they stand on L1, as the one-step provers read other domains' claims
/// (<c>claimIncluded</c>): a domain re-posted there by its latest re-post, proven with no siblings; any other as the
/// batch was committed with it, proven by its siblings in the committed claims root.
/// </summary>
public sealed record StandingClaims(IReadOnlyList<(DomainId Domain, DomainClaim Claim)> Committed, IReadOnlyDictionary<DomainId, DomainClaim> Reposted)
{
    private static readonly IReadOnlyDictionary<DomainId, DomainClaim> None = new Dictionary<DomainId, DomainClaim>();

    /// <summary>The claims as committed, no domain re-posted.</summary>
    public static StandingClaims AsCommitted(IReadOnlyList<(DomainId Domain, DomainClaim Claim)> committed) => new(committed, None);

    /// <summary>The claims of batch <paramref name="batchIndex"/> with the latest of <paramref name="reposts"/> that covers it, per domain.</summary>
    public static StandingClaims Of(ulong batchIndex, IReadOnlyList<(DomainId Domain, DomainClaim Claim)> committed, IReadOnlyList<RepostedClaims> reposts)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(reposts);
        var reposted = new Dictionary<DomainId, DomainClaim>();
        foreach (var r in reposts)
        {
            if (r.ClaimOf(batchIndex) is { } claim)
            {
                reposted[r.Domain] = claim; // in L1 order: the latest stands
            }
        }
        return reposted.Count == 0 ? AsCommitted(committed) : new StandingClaims(committed, reposted);
    }

    /// <summary>The domain's claim as it stands, or null if the batch does not claim it.</summary>
    public DomainClaim? ClaimOf(DomainId domain)
    {
        if (Reposted.TryGetValue(domain, out var reposted))
        {
            return reposted;
        }
        foreach (var (d, claim) in Committed)
        {
            if (d == domain)
            {
                return claim;
            }
        }
        return null;
    }

    /// <summary>The siblings a prover takes the domain's standing claim with: none once re-posted.</summary>
    public IReadOnlyList<Hash256> SiblingsOf(DomainId domain) =>
        Reposted.ContainsKey(domain) ? [] : BatchClaimsRoot.Prove(Committed, domain).Siblings;
}
