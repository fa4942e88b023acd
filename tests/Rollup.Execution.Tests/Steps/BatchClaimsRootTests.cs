using System.Text;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Tests.Steps;

/// <summary>
/// The claims tree (docs/steps.md, "Claims") against values ethers computes and the forge test ClaimsRoot.t.sol holds
/// too: the keys of the accounts domain, market 7 and market 1 begin with the bits 1100, 0101 and 1011, so
/// {accounts} is its leaf A, {accounts, market 7} is N(M7, A) and {accounts, market 1} is N(0, N(M1, A)).
/// </summary>
public class BatchClaimsRootTests
{
    // ethers: L(kind, market, start, end, steps) = keccak256(concat(["0x00", solidityPackedKeccak256(["uint8","uint32"], [kind, market]),
    //   solidityPackedKeccak256(["bytes32","bytes32","uint64"], [start, end, steps])])), N(a, b) = keccak256(concat(["0x01", a, b])),
    // start and end the keccak256 of the UTF-8 strings below.
    private static readonly DomainClaim AccountsClaim = new(Text("accounts start"), Text("accounts end"), 1234);
    private static readonly DomainClaim MarketClaim = new(Text("market start"), Text("market end"), 56);

    [Fact]
    public void A_domains_key_is_the_keccak_of_its_kind_byte_and_big_endian_market()
    {
        Assert.Equal(Hash256.Parse("0xc41589e7559804ea4a2080dad19d876a024ccb05117835447d72ce08c1d020ec"), DomainId.Accounts.Key());
        Assert.Equal(Hash256.Parse("0x51b466573c1fcf2373b1706f1dca31892f6e7b7a38b45cae1bca4434a2f3903c"), DomainId.OfMarket(7).Key());
        Assert.Equal(Keccak256.Compute([0x01, 0x02, 0x03, 0x04, 0x05]), DomainId.OfMarket(0x02030405).Key());
    }

    [Fact]
    public void A_claims_value_hash_is_the_keccak_of_start_end_and_big_endian_steps()
    {
        var claim = new DomainClaim(Hash256.Parse("0x" + new string('1', 64)), Hash256.Parse("0x" + new string('2', 64)), 0x0102030405060708);
        var bytes = Enumerable.Repeat((byte)0x11, 32).Concat(Enumerable.Repeat((byte)0x22, 32)).Concat(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }).ToArray();
        Assert.Equal(Keccak256.Compute(bytes), claim.ValueHash());
    }

    [Fact]
    public void The_roots_of_one_and_two_claims_are_those_ethers_computes_in_any_order()
    {
        Assert.Equal(Hash256.Parse("0x56536e909ffaa45abf0c1633399623edfd9903326cd08850227ba8bb2d15935c"),
            BatchClaimsRoot.Compute([(DomainId.Accounts, AccountsClaim)]));
        var withMarket7 = Hash256.Parse("0x1185eff3fc269fb80050030bd2619114fbe87f72fce339adeaf2d74c9837a7d9");
        Assert.Equal(withMarket7, BatchClaimsRoot.Compute([(DomainId.Accounts, AccountsClaim), (DomainId.OfMarket(7), MarketClaim)]));
        Assert.Equal(withMarket7, BatchClaimsRoot.Compute([(DomainId.OfMarket(7), MarketClaim), (DomainId.Accounts, AccountsClaim)]));
        Assert.Equal(Hash256.Parse("0xc5924d1f0db869b46284e5a1dccf108bf3774c4fc87d11bdc2568ad93ebf8a08"),
            BatchClaimsRoot.Compute([(DomainId.Accounts, AccountsClaim), (DomainId.OfMarket(1), MarketClaim)]));
    }

    [Fact]
    public void A_claims_proof_is_its_siblings_from_the_root_down_and_proves_that_claim_only()
    {
        (DomainId, DomainClaim)[] claims = [(DomainId.Accounts, AccountsClaim), (DomainId.OfMarket(1), MarketClaim)];
        var root = BatchClaimsRoot.Compute(claims);
        var accountsLeaf = Leaf(DomainId.Accounts.Key(), AccountsClaim.ValueHash());
        var marketLeaf = Leaf(DomainId.OfMarket(1).Key(), MarketClaim.ValueHash());

        var accounts = BatchClaimsRoot.Prove(claims, DomainId.Accounts);
        Assert.Equal([Hash256.Zero, marketLeaf], accounts.Siblings);
        Assert.True(accounts.Verify(root, DomainId.Accounts.Key(), AccountsClaim.ValueHash()));
        Assert.False(accounts.Verify(root, DomainId.Accounts.Key(), (AccountsClaim with { Steps = 1235 }).ValueHash()));
        Assert.False(accounts.Verify(root, DomainId.OfMarket(0).Key(), AccountsClaim.ValueHash()));

        var market = BatchClaimsRoot.Prove(claims, DomainId.OfMarket(1));
        Assert.Equal([Hash256.Zero, accountsLeaf], market.Siblings);
        Assert.True(market.Verify(root, DomainId.OfMarket(1).Key(), MarketClaim.ValueHash()));

        Assert.Empty(BatchClaimsRoot.Prove([(DomainId.Accounts, AccountsClaim)], DomainId.Accounts).Siblings);
    }

    private static Hash256 Text(string text) => Keccak256.Compute(Encoding.UTF8.GetBytes(text));

    private static Hash256 Leaf(in Hash256 key, in Hash256 valueHash) =>
        Keccak256.Compute([0x00, .. key.ToArray(), .. valueHash.ToArray()]);
}
