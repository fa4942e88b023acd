using Rollup.Bridge.Settlement;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// The domain's claim in the batch before a disputed one, as <c>proveStartBroken</c> takes it (docs/disputes.md, "A
/// claim's start"): the claim as it stands, its end opened as its ABI words; or, for a market not registered at that
/// batch's end, its accounts claim opened instead, with the market's key shown absent from the registry (word 1).
/// </summary>
/// <param name="Registry">For a market not registered there: its key's path in that accounts end's registry; else none.</param>
public sealed record PreviousClaim(Hash256 Start, ulong Steps, byte[] EndWords, IReadOnlyList<Hash256> Siblings, MerkleProof? Registry = null)
{
    /// <summary>No claim before: what batch 0's start is shown against (the empty genesis, which L1 rebuilds itself).</summary>
    public static PreviousClaim None { get; } = new(Hash256.Zero, 0, [], []);

    /// <summary>
    /// <paramref name="domain"/>'s claim among <paramref name="before"/> (the batch before's claims as they stand),
    /// opened with this node's own traces of that batch (<paramref name="ours"/>); for a market those traces do not
    /// register, its absence from their accounts end's registry. Null with the reason when the claim there is not the
    /// one our words open (a claim this node does not hold true is no ground to show another wrong).
    /// </summary>
    public static (PreviousClaim? Previous, string? Reason) Of(StandingClaims before, DomainId domain, IReadOnlyDictionary<DomainId, DomainTrace> ours)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(ours);
        if (!ours.TryGetValue(DomainId.Accounts, out var accounts))
        {
            return (null, "this node has no accounts trace of the batch before");
        }
        if (domain.Kind == DomainId.MarketKind && accounts.RegistryProof(domain.Market) is { } path && path.LeafKey != StepKeys.Market(domain.Market))
        {
            var (opened, reason) = AccountsEnd.Open(before, accounts.EndWords ?? []);
            return opened is null
                ? (null, $"the batch before's accounts claim is not ours ({reason})")
                : (new PreviousClaim(opened.Start, opened.Steps, opened.EndWords, opened.Siblings, path), null);
        }
        if (before.ClaimOf(domain) is not { } claim)
        {
            return (null, $"the batch before makes no claim of {domain}, which our execution registers there (a missing claim is shown with proveClaimMissing)");
        }
        if ((ours.TryGetValue(domain, out var trace) ? trace.EndWords : null) is not { } words)
        {
            return (null, $"this node has no end state of {domain} in the batch before");
        }
        var end = Keccak256.Compute(words);
        return end == claim.End
            ? (new PreviousClaim(claim.Start, claim.Steps, words, before.SiblingsOf(domain)), null)
            : (null, $"the batch before's claim ends at {claim.End}, our end there is {end}");
    }
}
