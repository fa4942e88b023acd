using Rollup.Bridge.Disputes;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// What the challenger sends to fell a claim with no game (docs/disputes.md, "A claim's start" and "A missing claim"),
/// built from a node's own end words: each proof opens what L1 holds (the end words hash to the claim's end, the
/// registry path leads to word 1, the absence path to the claims root), and each refusal names why. The contracts'
/// side of the same proofs is MissingClaim.t.sol and BrokenStart.t.sol, and end to end DisputeEndToEndTests.
/// </summary>
public sealed class AtOnceProofTests
{
    private static readonly DomainId Claimed = DomainId.OfMarket(1);
    private static readonly DomainId Missing = DomainId.OfMarket(2);

    private static Hash256 H(string text) => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>17 words, word 1 the registry of <paramref name="markets"/> as docs/steps.md defines it.</summary>
    private static byte[] AccountsWords(params uint[] markets)
    {
        var words = new byte[17 * 32];
        for (var i = 0; i < 17; i++)
        {
            H($"word {i}").ToArray().CopyTo(words, i * 32);
        }
        var leaves = markets.Select(m => new MerkleUpdate(StepKeys.Market(m), Keccak256.Compute([0x01]))).ToArray();
        SparseMerkleTree.InMemory(leaves).Root.ToArray().CopyTo(words, 32);
        return words;
    }

    private static StandingClaims Batch(byte[] accountsWords) => StandingClaims.AsCommitted(
        [(DomainId.Accounts, new DomainClaim(H("a start"), Keccak256.Compute(accountsWords), 9)), (Claimed, new DomainClaim(H("m1 start"), H("m1 end"), 4))]);

    [Fact]
    public void A_registered_market_the_batch_does_not_claim_is_shown_missing_by_paths_that_open_L1s_roots()
    {
        var words = AccountsWords(1, 2);
        var claims = Batch(words);
        var (proof, reason) = MissingClaimProof.Of(claims, 2, words, [1, 2]);

        Assert.Null(reason);
        Assert.Equal(Keccak256.Compute(words), proof!.Accounts.End);
        Assert.Equal(claims.ClaimOf(DomainId.Accounts)!.Value.Start, proof.Accounts.Start);
        var registry = new Hash256(words.AsSpan(32, 32));
        Assert.True(new MerkleProof(proof.RegistrySiblings, StepKeys.Market(2), Keccak256.Compute([0x01])).Verify(registry, StepKeys.Market(2), Keccak256.Compute([0x01])));
        Assert.True(proof.Absence.Verify(BatchClaimsRoot.Compute(claims.Committed), Missing.Key(), Hash256.Zero), "market 2 is absent from the claims root");
        Assert.False(proof.Absence.Verify(BatchClaimsRoot.Compute(claims.Committed), Claimed.Key(), Hash256.Zero), "the path is market 2's, not market 1's");
    }

    [Fact]
    public void A_missing_claim_is_not_shown_when_the_node_cannot_stand_behind_it()
    {
        var words = AccountsWords(1, 2);
        var claims = Batch(words);
        Assert.Equal("the batch claims it", MissingClaimProof.Of(claims, 1, words, [1, 2]).Reason);
        Assert.Equal("this node has no accounts end state of the batch", MissingClaimProof.Of(claims, 2, null, [1, 2]).Reason);
        Assert.Contains("the batch's accounts claim is not ours", MissingClaimProof.Of(claims, 2, AccountsWords(1, 2, 3), [1, 2, 3]).Reason, StringComparison.Ordinal);
        Assert.Equal("market 3 is not registered at the batch's end in our execution", MissingClaimProof.Of(claims, 3, words, [1, 2]).Reason);
        Assert.Contains("is not our accounts end's", MissingClaimProof.Of(claims, 2, words, [2]).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_claim_before_is_opened_by_our_end_words_or_shown_absent_for_a_market_it_does_not_claim()
    {
        var words = AccountsWords(1);
        var before = Batch(words);

        var (accounts, reason) = PreviousClaim.Of(before, DomainId.Accounts, words);
        Assert.Null(reason);
        Assert.Equal((before.ClaimOf(DomainId.Accounts)!.Value.Start, 9UL, words), (accounts!.Start, accounts.Steps, accounts.EndWords));
        Assert.True(new MerkleProof(accounts.Siblings, DomainId.Accounts.Key(), before.ClaimOf(DomainId.Accounts)!.Value.ValueHash())
            .Verify(BatchClaimsRoot.Compute(before.Committed), DomainId.Accounts.Key(), before.ClaimOf(DomainId.Accounts)!.Value.ValueHash()));

        var (absent, why) = PreviousClaim.Of(before, Missing, null);
        Assert.Null(why);
        Assert.Empty(absent!.EndWords);
        Assert.True(new MerkleProof(absent.Siblings, absent.EndingKey, absent.EndingValueHash).Verify(BatchClaimsRoot.Compute(before.Committed), Missing.Key(), Hash256.Zero));

        Assert.Contains("our end there is", PreviousClaim.Of(before, DomainId.Accounts, AccountsWords(1, 2)).Reason, StringComparison.Ordinal);
        Assert.Equal("this node has no end state of market 1 in the batch before", PreviousClaim.Of(before, Claimed, null).Reason);
    }
}
