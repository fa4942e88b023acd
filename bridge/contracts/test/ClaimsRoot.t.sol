// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";
import {Smt} from "./lib/Smt.sol";
import {Claims} from "./lib/Claims.sol";

/// The batch's claims root (docs/steps.md, "Claims"): never zero, and a domain's claim proven against it. The trees are
/// written out by hand from the rules of docs/state.md for the keys of the accounts domain, market 7 and market 1,
/// whose first bits (checked in setUp) are 1100, 0101 and 1011:
///   {accounts}            -> A
///   {accounts, market 7}  -> N(M7, A)           they part at bit 0
///   {accounts, market 1}  -> N(0, N(M1, A))     both go right at bit 0, part at bit 1
/// with L = keccak256(0x00 ‖ keccak256(uint8 kind ‖ uint32 market) ‖ keccak256(start ‖ end ‖ uint64 steps)) and
/// N(a, b) = keccak256(0x01 ‖ a ‖ b).
contract ClaimsRootTest is SettlementFixture {
    uint8 internal constant ACCOUNTS = 0;
    uint8 internal constant MARKET = 1;
    uint64 internal constant ACCOUNTS_STEPS = 1234;
    uint64 internal constant MARKET_STEPS = 56;

    bytes32 internal accountsStart = keccak256("accounts start");
    bytes32 internal accountsEnd = keccak256("accounts end");
    bytes32 internal marketStart = keccak256("market start");
    bytes32 internal marketEnd = keccak256("market end");

    bytes32 internal a;
    bytes32 internal m7;
    bytes32 internal m1;

    function setUp() public override {
        super.setUp();
        assertEq(uint256(_key(ACCOUNTS, 0)) >> 252, 0xc, "accounts key starts 1100");
        assertEq(uint256(_key(MARKET, 7)) >> 252, 0x5, "market 7 key starts 0101");
        assertEq(uint256(_key(MARKET, 1)) >> 252, 0xb, "market 1 key starts 1011");
        a = Smt.leaf(_key(ACCOUNTS, 0), _claim(accountsStart, accountsEnd, ACCOUNTS_STEPS));
        m7 = Smt.leaf(_key(MARKET, 7), _claim(marketStart, marketEnd, MARKET_STEPS));
        m1 = Smt.leaf(_key(MARKET, 1), _claim(marketStart, marketEnd, MARKET_STEPS));
    }

    // ---- the commitment ----

    function test_theClaimsSentMustMakeTheCommittedRoot() public {
        IRollupSettlement.Commitment memory c = _withClaims(_accounts());
        c.claimsRoot = Smt.inner(m7, a);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.ClaimsNotTheRoot.selector, a, Smt.inner(m7, a)));
        _commit(c);
        _setNextClaims(_accountsAnd(7));
        _commit(c);
        assertEq(settlement.nextBatchIndex(), 1, "committed with the claims that make its root");
    }

    function test_claimsOutOfKeyOrderTwiceOrWithoutTheAccountsDomainAreRefused() public {
        // Market 7's key (0101...) sorts before the accounts domain's (1100...).
        IRollupSettlement.DomainClaim[] memory swapped = new IRollupSettlement.DomainClaim[](2);
        (swapped[0], swapped[1]) = (_accounts()[0], _market(7));
        _expectCommitRefused(swapped, abi.encodeWithSelector(IRollupSettlement.ClaimsNotInKeyOrder.selector, 1));
        IRollupSettlement.DomainClaim[] memory twice = new IRollupSettlement.DomainClaim[](2);
        (twice[0], twice[1]) = (_accounts()[0], _accounts()[0]);
        _expectCommitRefused(twice, abi.encodeWithSelector(IRollupSettlement.ClaimsNotInKeyOrder.selector, 1));
        IRollupSettlement.DomainClaim[] memory marketOnly = new IRollupSettlement.DomainClaim[](1);
        marketOnly[0] = _market(7);
        _expectCommitRefused(marketOnly, abi.encodeWithSelector(IRollupSettlement.NoAccountsClaim.selector));
        _expectCommitRefused(new IRollupSettlement.DomainClaim[](0), abi.encodeWithSelector(IRollupSettlement.NoAccountsClaim.selector));
    }

    function test_aClaimOfNoDomainIsRefused() public {
        IRollupSettlement.DomainClaim[] memory claims = _accounts();
        claims[0].market = 5;
        _expectCommitRefused(claims, abi.encodeWithSelector(IRollupSettlement.NotADomain.selector, 0, 5));
        claims[0].kind = 2;
        _expectCommitRefused(claims, abi.encodeWithSelector(IRollupSettlement.NotADomain.selector, 2, 5));
    }

    function test_theBatchRecordAndTheEventCarryTheClaimsRoot() public {
        _commit(_withClaims(_accounts()));
        IRollupSettlement.Commitment memory c = _withClaims(_accountsAnd(7));
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.BatchCommitted(
            1, keccak256(abi.encode(c)), c.newStateRoot, bytes32(0), 0, 6, 10, 0, 0, bytes32(0), c.blocksRoot, Smt.inner(m7, a)
        );
        _commit(c);
        assertEq(settlement.batch(0).claimsRoot, a, "batch 0");
        assertEq(settlement.batch(1).claimsRoot, Smt.inner(m7, a), "batch 1");
    }

    /// The root commitBatch builds from the lists is the hand-built tree's, for each shape above.
    function test_theContractBuildsTheHandBuiltTrees() public {
        _commit(_withClaims(_accounts()));
        _commit(_withClaims(_accountsAnd(7)));
        _commit(_withClaims(_accountsAnd(1)));
        assertEq(settlement.batch(0).claimsRoot, a, "{accounts}");
        assertEq(settlement.batch(1).claimsRoot, Smt.inner(m7, a), "{accounts, market 7}");
        assertEq(settlement.batch(2).claimsRoot, Smt.inner(bytes32(0), Smt.inner(m1, a)), "{accounts, market 1}");
    }

    // ---- inclusion ----

    function test_theAccountsDomainAlone() public {
        _commit(_withClaims(_accounts()));
        assertTrue(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "the leaf is the root");
        assertFalse(_accountsIncluded(0, keccak256("another start"), accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "wrong start");
        assertFalse(_accountsIncluded(0, accountsStart, keccak256("another end"), ACCOUNTS_STEPS, new bytes32[](0)), "wrong end");
        assertFalse(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS + 1, new bytes32[](0)), "wrong steps");
        assertFalse(_accountsIncluded(0, accountsEnd, accountsStart, ACCOUNTS_STEPS, new bytes32[](0)), "start and end swapped");
        assertFalse(settlement.claimIncluded(0, MARKET, 0, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "wrong kind");
        assertFalse(settlement.claimIncluded(0, ACCOUNTS, 1, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "wrong market");
        assertFalse(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, Smt.siblings(bytes32(0))), "a sibling too many");
    }

    function test_theAccountsDomainAndAMarketPartingAtTheRoot() public {
        _commit(_withClaims(_accountsAnd(7)));
        assertTrue(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, Smt.siblings(m7)), "accounts");
        assertTrue(settlement.claimIncluded(0, MARKET, 7, marketStart, marketEnd, MARKET_STEPS, Smt.siblings(a)), "market 7");

        assertFalse(settlement.claimIncluded(0, MARKET, 7, accountsStart, marketEnd, MARKET_STEPS, Smt.siblings(a)), "market 7, wrong start");
        assertFalse(settlement.claimIncluded(0, MARKET, 7, marketStart, accountsEnd, MARKET_STEPS, Smt.siblings(a)), "market 7, wrong end");
        assertFalse(settlement.claimIncluded(0, MARKET, 7, marketStart, marketEnd, ACCOUNTS_STEPS, Smt.siblings(a)), "market 7, wrong steps");
        assertFalse(settlement.claimIncluded(0, MARKET, 6, marketStart, marketEnd, MARKET_STEPS, Smt.siblings(a)), "market 7's claim as market 6");
        assertFalse(settlement.claimIncluded(0, ACCOUNTS, 7, marketStart, marketEnd, MARKET_STEPS, Smt.siblings(a)), "market 7's claim as kind 0");
        assertFalse(_accountsIncluded(0, marketStart, marketEnd, MARKET_STEPS, Smt.siblings(m7)), "market 7's claim as the accounts domain");
        assertFalse(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "a sibling short");
    }

    function test_theAccountsDomainAndAMarketSharingAFirstBit() public {
        _commit(_withClaims(_accountsAnd(1)));
        assertTrue(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, Smt.siblings(bytes32(0), m1)), "accounts");
        assertTrue(settlement.claimIncluded(0, MARKET, 1, marketStart, marketEnd, MARKET_STEPS, Smt.siblings(bytes32(0), a)), "market 1");
        assertFalse(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, Smt.siblings(m1)), "the empty sibling left out");
        assertFalse(settlement.claimIncluded(0, MARKET, 7, marketStart, marketEnd, MARKET_STEPS, Smt.siblings(bytes32(0), a)), "market 7 is not claimed");
    }

    /// Literal roots from ethers (solidityPacked over the same fields), so the hand-built trees above are not the only
    /// witness of the encoding: the C# side's BatchClaimsRootTests checks the same values.
    function test_theRootsAreThoseEthersComputes() public view {
        assertEq(a, 0x56536e909ffaa45abf0c1633399623edfd9903326cd08850227ba8bb2d15935c, "{accounts}");
        assertEq(Smt.inner(m7, a), 0x1185eff3fc269fb80050030bd2619114fbe87f72fce339adeaf2d74c9837a7d9, "{accounts, market 7}");
        assertEq(Smt.inner(bytes32(0), Smt.inner(m1, a)), 0xc5924d1f0db869b46284e5a1dccf108bf3774c4fc87d11bdc2568ad93ebf8a08, "{accounts, market 1}");
    }

    function test_eachBatchIsProvenAgainstItsOwnRoot() public {
        _commit(_withClaims(_accounts()));
        _commit(_withClaims(_accountsAnd(7)));
        assertTrue(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "batch 0");
        assertTrue(_accountsIncluded(1, accountsStart, accountsEnd, ACCOUNTS_STEPS, Smt.siblings(m7)), "batch 1");
        assertFalse(_accountsIncluded(1, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "batch 0's proof in batch 1");
        assertFalse(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, Smt.siblings(m7)), "batch 1's proof in batch 0");
    }

    function test_anUnknownBatchIncludesNothing() public {
        assertFalse(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "no batch yet");
        _commit(_withClaims(_accounts()));
        assertFalse(_accountsIncluded(1, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "batch 1 not committed");
        assertFalse(_accountsIncluded(type(uint64).max, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "the last batch index");
        assertTrue(_accountsIncluded(0, accountsStart, accountsEnd, ACCOUNTS_STEPS, new bytes32[](0)), "batch 0 is");
    }

    function test_theKeyIsFiveAndTheClaimSeventyTwoBigEndianBytes() public pure {
        assertEq(_key(0x01, 0x02030405), keccak256(hex"0102030405"), "key");
        assertEq(
            _claim(bytes32(uint256(0x11)), bytes32(uint256(0x22)), 0x0102030405060708),
            keccak256(
                hex"0000000000000000000000000000000000000000000000000000000000000011"
                hex"0000000000000000000000000000000000000000000000000000000000000022" hex"0102030405060708"
            ),
            "claim"
        );
    }

    // ---- helpers ----

    /// The next batch (5 blocks, no transactions) with `claims`, its root built by hand (Smt).
    function _withClaims(IRollupSettlement.DomainClaim[] memory claims) private returns (IRollupSettlement.Commitment memory c) {
        c = _nextCommitment(keccak256(abi.encode("state", settlement.nextBatchIndex())), 0, 5, 0);
        _setNextClaims(claims);
        c.claimsRoot = Claims.root(claims);
    }

    function _expectCommitRefused(IRollupSettlement.DomainClaim[] memory claims, bytes memory error_) private {
        IRollupSettlement.Commitment memory c = _nextCommitment(keccak256("state"), 0, 5, 0);
        vm.expectRevert(error_);
        vm.prank(SEQUENCER);
        settlement.commitBatch(c, claims);
    }

    function _accounts() private view returns (IRollupSettlement.DomainClaim[] memory claims) {
        claims = new IRollupSettlement.DomainClaim[](1);
        claims[0] = IRollupSettlement.DomainClaim(ACCOUNTS, 0, accountsStart, accountsEnd, ACCOUNTS_STEPS);
    }

    function _market(uint32 market) private view returns (IRollupSettlement.DomainClaim memory) {
        return IRollupSettlement.DomainClaim(MARKET, market, marketStart, marketEnd, MARKET_STEPS);
    }

    /// The accounts domain and one market, in key order.
    function _accountsAnd(uint32 market) private view returns (IRollupSettlement.DomainClaim[] memory claims) {
        claims = new IRollupSettlement.DomainClaim[](2);
        (claims[0], claims[1]) = (_accounts()[0], _market(market));
        return Claims.sorted(claims);
    }

    function _accountsIncluded(uint64 batchIndex, bytes32 start, bytes32 end, uint64 steps, bytes32[] memory siblings)
        private
        view
        returns (bool)
    {
        return settlement.claimIncluded(batchIndex, ACCOUNTS, 0, start, end, steps, siblings);
    }

    function _key(uint8 kind, uint32 market) private pure returns (bytes32) {
        return keccak256(bytes.concat(bytes1(kind), bytes4(market)));
    }

    function _claim(bytes32 start, bytes32 end, uint64 steps) private pure returns (bytes32) {
        return keccak256(bytes.concat(start, end, bytes8(steps)));
    }
}
