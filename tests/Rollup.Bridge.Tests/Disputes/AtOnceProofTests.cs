using Rollup.Bridge.Disputes;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// What the challenger sends to fell a claim with no game (docs/disputes.md, "A claim's start" and "A missing claim"),
/// built from a node's own traces: each proof opens what L1 holds (the end words hash to the claim's end, the registry
/// path leads to word 1, the absence path to the claims root), and each case the node cannot stand behind is named.
/// The contracts' side of the same proofs is MissingClaim.t.sol and BrokenStart.t.sol, and end to end
/// DisputeEndToEndTests.
/// </summary>
public sealed class AtOnceProofTests
{
    private static readonly DomainId Claimed = DomainId.OfMarket(1);
    private static readonly DomainId Missing = DomainId.OfMarket(2);
    private static readonly Hash256 Registered = Keccak256.Compute([0x01]);

    private static Hash256 H(string text) => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>An accounts trace ending in 17 words whose word 1 is the registry of <paramref name="markets"/> (docs/steps.md).</summary>
    private static DomainTrace AccountsTrace(params uint[] markets)
    {
        var registry = SparseMerkleTree.InMemory(markets.Select(m => new MerkleUpdate(StepKeys.Market(m), Registered)).ToArray());
        var words = new byte[17 * 32];
        for (var i = 0; i < 17; i++)
        {
            H($"word {i}").ToArray().CopyTo(words, i * 32);
        }
        registry.Root.ToArray().CopyTo(words, 32);
        return new DomainTrace(DomainId.Accounts, [H("a start"), Keccak256.Compute(words)], (_, _) => throw new InvalidOperationException("no step is proven"), words,
            market => registry.GetProof(StepKeys.Market(market)));
    }

    private static StandingClaims Batch(DomainTrace accounts) => StandingClaims.AsCommitted(
        [(DomainId.Accounts, accounts.Claim with { Steps = 9 }), (Claimed, new DomainClaim(H("m1 start"), H("m1 end"), 4))]);

    [Fact]
    public void A_registered_market_the_batch_does_not_claim_is_shown_missing_by_paths_that_open_L1s_roots()
    {
        var accounts = AccountsTrace(1, 2);
        var claims = Batch(accounts);
        var (proof, reason) = MissingClaimProof.Of(claims, 2, accounts);

        Assert.Null(reason);
        Assert.Equal(accounts.Claim.End, proof!.Accounts.End);
        Assert.Equal(accounts.Claim.Start, proof.Accounts.Start);
        var registry = new Hash256(accounts.EndWords.AsSpan(32, 32));
        Assert.True(new MerkleProof(proof.RegistrySiblings, StepKeys.Market(2), Registered).Verify(registry, StepKeys.Market(2), Registered));
        Assert.True(proof.Absence.Verify(BatchClaimsRoot.Compute(claims.Committed), Missing.Key(), Hash256.Zero), "market 2 is absent from the claims root");
        Assert.False(proof.Absence.Verify(BatchClaimsRoot.Compute(claims.Committed), Claimed.Key(), Hash256.Zero), "the path is market 2's, not market 1's");
    }

    [Fact]
    public void A_missing_claim_is_not_shown_when_the_node_cannot_stand_behind_it()
    {
        var accounts = AccountsTrace(1, 2);
        var claims = Batch(accounts);
        Assert.Equal("the batch claims it", MissingClaimProof.Of(claims, 1, accounts).Reason);
        Assert.Equal("this node has no accounts end state of the batch", MissingClaimProof.Of(claims, 2, null).Reason);
        Assert.Contains("the batch's accounts claim is not ours", MissingClaimProof.Of(claims, 2, AccountsTrace(1, 2, 3)).Reason, StringComparison.Ordinal);
        Assert.Equal("market 3 is not registered at the batch's end in our execution", MissingClaimProof.Of(claims, 3, accounts).Reason);
    }

    [Fact]
    public void The_claim_before_is_opened_by_our_end_words_or_the_market_shown_absent_from_our_registry()
    {
        var accounts = AccountsTrace(1);
        var before = Batch(accounts);
        var ours = new Dictionary<DomainId, DomainTrace> { [DomainId.Accounts] = accounts };
        var root = BatchClaimsRoot.Compute(before.Committed);

        var (opened, reason) = PreviousClaim.Of(before, DomainId.Accounts, ours);
        Assert.Null(reason);
        Assert.Equal((accounts.Claim.Start, 9UL, accounts.EndWords), (opened!.Start, opened.Steps, opened.EndWords));
        var leaf = before.ClaimOf(DomainId.Accounts)!.Value.ValueHash();
        Assert.True(new MerkleProof(opened.Siblings, DomainId.Accounts.Key(), leaf).Verify(root, DomainId.Accounts.Key(), leaf));

        // Market 2, not registered before: the accounts claim opened, and the market's key absent from word 1.
        var (absent, why) = PreviousClaim.Of(before, Missing, ours);
        Assert.Null(why);
        Assert.Equal(accounts.EndWords, absent!.EndWords);
        var registry = new Hash256(accounts.EndWords!.AsSpan(32, 32));
        Assert.True(absent.Registry!.Verify(registry, StepKeys.Market(2), Hash256.Zero), "market 2 is absent from the registry of the end opened");
        Assert.Null(opened.Registry);

        Assert.Equal("this node has no end state of market 1 in the batch before", PreviousClaim.Of(before, Claimed, ours).Reason);
        Assert.Contains("which our execution registers there", PreviousClaim.Of(Batch(AccountsTrace(1)) with { Committed = [before.Committed[0]] }, Claimed, ours).Reason, StringComparison.Ordinal);
        Assert.Contains("the batch before's accounts claim is not ours", PreviousClaim.Of(before, Missing, new Dictionary<DomainId, DomainTrace> { [DomainId.Accounts] = AccountsTrace(1, 3) }).Reason, StringComparison.Ordinal);
    }
}
