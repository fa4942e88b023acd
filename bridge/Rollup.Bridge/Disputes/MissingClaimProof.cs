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
    /// own accounts end words of the batch and the markets registered at its end in its execution; null with the
    /// reason when this node cannot show it (the batch claims the market, or its accounts claim is not ours).
    /// </summary>
    public static (MissingClaimProof? Proof, string? Reason) Of(StandingClaims claims, uint market, byte[]? accountsEndWords, IReadOnlyCollection<uint> registered)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(registered);
        var domain = DomainId.OfMarket(market);
        if (claims.ClaimOf(domain) is not null)
        {
            return (null, "the batch claims it");
        }
        if (accountsEndWords is null)
        {
            return (null, "this node has no accounts end state of the batch");
        }
        var (opened, reason) = AccountsEnd.Open(claims, accountsEndWords);
        if (opened is null)
        {
            return (null, $"the batch's accounts claim is not ours ({reason}): which markets it registers is the accounts domain's game to decide");
        }
        if (!registered.Contains(market))
        {
            return (null, $"{domain} is not registered at the batch's end in our execution");
        }
        var registry = AccountsDomainState.Registry(registered);
        if (registry.Root != new Hash256(accountsEndWords.AsSpan(32, 32)))
        {
            return (null, $"the registry of our {registered.Count} markets is not our accounts end's");
        }
        return (new MissingClaimProof(opened, registry.GetProof(StepKeys.Market(market)).Siblings, BatchClaimsRoot.Prove(claims.Committed, domain)), null);
    }
}
