using System.Buffers.Binary;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Disputes;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Validation;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bridge.Tests.Disputes;

/// <summary>
/// A batch's claims as the provers read them (docs/disputes.md, "Other domains' claims as they stand"): a domain's
/// latest re-post covering the batch, taken with no siblings; any other domain as committed, with siblings that open
/// the committed claims root.
/// </summary>
public sealed class StandingClaimsTests
{
    private static readonly DomainId MarketOne = DomainId.OfMarket(1);
    private static readonly DomainId MarketTwo = DomainId.OfMarket(2);

    private static DomainClaim Claim(string tag) =>
        new(Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(tag + " start")), Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(tag + " end")), 3);

    private static readonly IReadOnlyList<(DomainId Domain, DomainClaim Claim)> Committed =
        [(DomainId.Accounts, Claim("accounts")), (MarketOne, Claim("m1")), (MarketTwo, Claim("m2"))];

    /// keccak256(start ‖ end ‖ u64 steps), the leaf value docs/batches.md defines.
    private static Hash256 LeafValue(DomainClaim c)
    {
        var bytes = new byte[72];
        c.Start.ToArray().CopyTo(bytes, 0);
        c.End.ToArray().CopyTo(bytes, 32);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(64), c.Steps);
        return Keccak256.Compute(bytes);
    }

    [Fact]
    public void NoRepost_EveryDomainAsCommitted_SiblingsOpenTheCommittedRoot()
    {
        var standing = StandingClaims.Of(4, Committed, []);
        var root = BatchClaimsRoot.Compute(Committed);
        foreach (var (domain, claim) in Committed)
        {
            Assert.Equal(claim, standing.ClaimOf(domain));
            var proof = new MerkleProof(standing.SiblingsOf(domain), domain.Key(), LeafValue(claim));
            Assert.True(proof.Verify(root, domain.Key(), LeafValue(claim)), $"{domain}'s siblings open the root");
        }
        Assert.Null(standing.ClaimOf(DomainId.OfMarket(9)));
    }

    [Fact]
    public void TheLatestRepostCoveringTheBatchStands_WithNoSiblings_TheOthersAsCommitted()
    {
        var first = Claim("m1 re-posted once");
        var second = Claim("m1 re-posted twice");
        RepostedClaims[] reposts =
        [
            new(MarketOne, 3, [Claim("m1 at 3"), first], 100),
            new(MarketOne, 4, [second], 120),
            new(MarketTwo, 5, [Claim("m2 at 5")], 130), // from a later batch: not this one's
        ];
        var standing = StandingClaims.Of(4, Committed, reposts);

        Assert.Equal(second, standing.ClaimOf(MarketOne));
        Assert.Empty(standing.SiblingsOf(MarketOne));
        Assert.Equal(Committed[2].Claim, standing.ClaimOf(MarketTwo));
        Assert.Equal(Committed[0].Claim, standing.ClaimOf(DomainId.Accounts));
        var root = BatchClaimsRoot.Compute(Committed);
        var accounts = new MerkleProof(standing.SiblingsOf(DomainId.Accounts), DomainId.Accounts.Key(), LeafValue(Committed[0].Claim));
        Assert.True(accounts.Verify(root, DomainId.Accounts.Key(), LeafValue(Committed[0].Claim)), "a domain not re-posted keeps its siblings");
    }

    [Fact]
    public void ADisputedClaimAsItStands_IsItsLatestRepostWithItsVersion_AndProvesAgainstTheBatchsStandingClaims()
    {
        var commitment = new BatchCommitment(4, 10, 12, default, default, default, default, default, 0, 0, 0, default, default, BatchClaimsRoot.Compute(Committed));
        var batch = new CommittedBatch(commitment, Committed, [], 1);
        var accounts = new RepostedClaims(DomainId.Accounts, 3, [Claim("a at 3"), Claim("a at 4")], 100);
        var once = new RepostedClaims(MarketOne, 4, [Claim("m1 once")], 110);
        var twice = new RepostedClaims(MarketOne, 2, [Claim("m1 at 2"), Claim("m1 at 3"), Claim("m1 twice")], 120);

        var asCommitted = DisputedClaim.AsItStands(batch, [accounts], MarketOne);
        Assert.Equal((Committed[1].Claim, 0u), (asCommitted.Posted, asCommitted.Version));
        Assert.Equal(BatchClaimsRoot.Prove(Committed, MarketOne).Siblings, asCommitted.Siblings);
        Assert.Equal(Claim("a at 4"), asCommitted.Standing.ClaimOf(DomainId.Accounts));

        var reposted = DisputedClaim.AsItStands(batch, [accounts, once, twice], MarketOne);
        Assert.Equal((Claim("m1 twice"), 2u), (reposted.Posted, reposted.Version));
        Assert.Empty(reposted.Siblings);
        Assert.Empty(reposted.Standing.SiblingsOf(MarketOne));
        Assert.Equal(Committed[2].Claim, reposted.Standing.ClaimOf(MarketTwo));
    }
}
