using Rollup.Bridge.Settlement;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Primitives;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// What <c>proveClaimMissing</c> takes to show a batch owes a market's claim and does not make it (docs/disputes.md,
/// "A missing claim"): the batch's accounts claim as it stands, opened; the market's leaf in that end's registry (word
/// 1); and the market's key absent from the batch's claims root.
/// </summary>
public sealed record MissingClaimProof(AccountsEnd Accounts, IReadOnlyList<Hash256> RegistrySiblings, MerkleProof Absence)
{
    /// <summary>
    /// The proof for <paramref name="market"/> in a batch of <paramref name="claims"/> (as they stand), from this node's
    /// own accounts trace of the batch (its end words and registry); null with the reason when this node cannot show it
    /// (the batch claims the market, our execution does not register it, or the batch's accounts claim is not ours).
    /// </summary>
    public static (MissingClaimProof? Proof, string? Reason) Of(StandingClaims claims, uint market, DomainTrace? accounts)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var domain = DomainId.OfMarket(market);
        if (claims.ClaimOf(domain) is not null)
        {
            return (null, "the batch claims it");
        }
        if (accounts?.EndWords is not { } words || accounts.RegistryProof(market) is not { } path)
        {
            return (null, "this node has no accounts end state of the batch");
        }
        if (path.LeafKey != StepKeys.Market(market))
        {
            return (null, $"{domain} is not registered at the batch's end in our execution");
        }
        var (opened, reason) = AccountsEnd.Open(claims, words);
        return opened is null
            ? (null, $"the batch's accounts claim is not ours ({reason}): which markets it registers is the accounts domain's game to decide")
            : (new MissingClaimProof(opened, path.Siblings, BatchClaimsRoot.Prove(claims.Committed, domain)), null);
    }
}
