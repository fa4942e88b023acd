// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {DisputeFixture} from "./lib/DisputeFixture.sol";
import {Claims} from "../lib/Claims.sol";
import {Smt} from "../lib/Smt.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../src/disputes/DisputeGame.sol";

/// A claim's start (docs/disputes.md, "A claim's start"): the domain's end in the batch before with the batch-scoped,
/// block-scoped and cursor fields reset (docs/steps.md, each domain's "Its step state"), or, for a market the batch
/// creates, nothing. The expected starts here are written from those tables, not from the contract. Batch 0 (blocks
/// 1..5, 7 transactions) claims the accounts domain and market 3; batch 1 (from block 6, first sequence 7) claims the
/// accounts domain and markets 3 and 4, market 4 new.
contract BrokenStartTest is DisputeFixture {
    uint32 internal constant OLD = 3;
    uint32 internal constant NEW = 4;
    uint32 internal constant OTHER = 5;

    DisputeGame internal judge;
    bytes32[] internal accountsEnd0;
    bytes32[] internal marketEnd0;
    IRollupSettlement.DomainClaim[] internal batch0;
    IRollupSettlement.DomainClaim[] internal batch1;

    function setUp() public override {
        super.setUp();
        judge = _deployBothKinds();
        for (uint256 i = 0; i < 17; i++) {
            accountsEnd0.push(keccak256(abi.encode("accounts end word", i)));
        }
        for (uint256 i = 0; i < 20; i++) {
            marketEnd0.push(keccak256(abi.encode("market end word", i)));
        }
        accountsEnd0[1] = _registryOf(OLD); // market 3 alone is registered at batch 0's end
        batch0.push(IRollupSettlement.DomainClaim(ACCOUNTS, 0, keccak256("a0 start"), keccak256(abi.encodePacked(accountsEnd0)), 40));
        batch0.push(IRollupSettlement.DomainClaim(MARKET, OLD, keccak256("m3 start"), keccak256(abi.encodePacked(marketEnd0)), 12));
        _commitClaims(batch0, 7);
    }

    // ---- the starts docs/steps.md defines ----

    function _accountsStart() internal view returns (bytes32) {
        bytes32[17] memory w;
        for (uint256 i = 0; i <= 4; i++) {
            w[i] = accountsEnd0[i]; // state-scoped: carried over
        }
        w[8] = bytes32(uint256(5)); // block: the batch's first block − 1
        w[9] = bytes32(uint256(7)); // firstSequence: the commitment's
        return keccak256(abi.encodePacked(w));
    }

    function _marketStart() internal view returns (bytes32) {
        bytes32[20] memory w;
        w[0] = marketEnd0[0];
        w[1] = bytes32(uint256(5));
        for (uint256 i = 5; i <= 15; i++) {
            w[i] = marketEnd0[i]; // record and trees carry over
        }
        return keccak256(abi.encodePacked(w));
    }

    function _nothing(uint32 market) internal pure returns (bytes32) {
        return _nothingAt(market, 5);
    }

    function _nothingAt(uint32 market, uint64 blockBefore) internal pure returns (bytes32) {
        bytes32[20] memory w;
        w[0] = bytes32(uint256(market));
        w[1] = bytes32(uint256(blockBefore));
        return keccak256(abi.encodePacked(w));
    }

    /// The registry of one market (docs/steps.md: key keccak256(u32 m), value hash keccak256(0x01)).
    function _registryOf(uint32 market) internal pure returns (bytes32) {
        (bytes32[] memory keys, bytes32[] memory values) = _registryLeaves(market);
        return Smt.root(keys, values);
    }

    function _registryLeaves(uint32 market) internal pure returns (bytes32[] memory keys, bytes32[] memory values) {
        keys = new bytes32[](1);
        values = new bytes32[](1);
        (keys[0], values[0]) = (keccak256(abi.encodePacked(market)), keccak256(hex"01"));
    }

    /// `market` absent from the registry (market 3's alone) at the end of the accounts claim of `claims` opened with `words`.
    function _notRegistered(IRollupSettlement.DomainClaim[] memory claims, bytes32[] memory words, uint32 market)
        internal
        pure
        returns (IDisputeGame.PreviousClaim memory p)
    {
        (p.start, p.steps, p.endWords, p.siblings) = (claims[0].start, claims[0].steps, words, Claims.proof(claims, ACCOUNTS, 0));
        (bytes32[] memory keys, bytes32[] memory values) = _registryLeaves(OLD);
        (p.registry.siblings, p.registry.endingKey, p.registry.endingValueHash) = Smt.absence(keys, values, keccak256(abi.encodePacked(market)));
    }

    // ---- helpers ----

    function _commitClaims(IRollupSettlement.DomainClaim[] memory claims, uint64 txCount) internal {
        IRollupSettlement.Commitment memory k = _nextCommitment(keccak256(abi.encode("state", settlement.nextBatchIndex())), 0, 5, 0);
        k.txCount = txCount;
        k.txRoot = keccak256("transactions");
        _setNextClaims(Claims.sorted(claims));
        k.claimsRoot = Claims.root(claims);
        _commit(k);
    }

    /// Batch 1 with the given starts (its ends and counts made up).
    function _commitBatch1(bytes32 accountsStart, bytes32 oldStart, bytes32 newStart) internal {
        batch1.push(IRollupSettlement.DomainClaim(ACCOUNTS, 0, accountsStart, keccak256("a1 end"), 30));
        batch1.push(IRollupSettlement.DomainClaim(MARKET, OLD, oldStart, keccak256("m3 end 1"), 9));
        batch1.push(IRollupSettlement.DomainClaim(MARKET, NEW, newStart, keccak256("m4 end 1"), 9));
        _commitClaims(batch1, 3);
    }

    function _previous(uint8 kind, uint32 market) internal view returns (IDisputeGame.PreviousClaim memory p) {
        IRollupSettlement.DomainClaim[] memory claims = batch0;
        bytes32[] memory none = new bytes32[](0);
        if (kind == ACCOUNTS) return IDisputeGame.PreviousClaim(claims[0].start, claims[0].steps, accountsEnd0, Claims.proof(claims, ACCOUNTS, 0), IDisputeGame.Absence(none, 0, 0));
        if (market == OLD) return IDisputeGame.PreviousClaim(claims[1].start, claims[1].steps, marketEnd0, Claims.proof(claims, MARKET, OLD), IDisputeGame.Absence(none, 0, 0));
        p = _notRegistered(claims, accountsEnd0, market);
    }

    function _prove(uint8 kind, uint32 market, IDisputeGame.PreviousClaim memory p) internal {
        IRollupSettlement.DomainClaim memory c = batch1[kind == ACCOUNTS ? 0 : (market == OLD ? 1 : 2)];
        judge.proveStartBroken(1, kind, market, c.start, c.end, c.steps, Claims.proof(batch1, kind, market), p);
    }

    // ---- tests ----

    function test_startsThatFollowStand() public {
        _commitBatch1(_accountsStart(), _marketStart(), _nothing(NEW));
        bytes memory follows = abi.encodeWithSelector(IDisputeGame.StartFollows.selector);
        vm.expectRevert(follows);
        _prove(ACCOUNTS, 0, _previous(ACCOUNTS, 0));
        vm.expectRevert(follows);
        _prove(MARKET, OLD, _previous(MARKET, OLD));
        vm.expectRevert(follows);
        _prove(MARKET, NEW, _previous(MARKET, NEW));
    }

    function test_eachBrokenStartFallsAlone() public {
        // The accounts start keeps the previous end's withdrawals root (word 5), which the batch resets; market 3's
        // keeps its phase; market 4 starts as if it had existed.
        bytes32[17] memory a;
        for (uint256 i = 0; i <= 5; i++) {
            a[i] = accountsEnd0[i];
        }
        (a[8], a[9]) = (bytes32(uint256(5)), bytes32(uint256(7)));
        bytes32[20] memory m;
        m[0] = marketEnd0[0];
        m[1] = bytes32(uint256(5));
        m[4] = marketEnd0[4];
        for (uint256 i = 5; i <= 15; i++) {
            m[i] = marketEnd0[i];
        }
        _commitBatch1(keccak256(abi.encodePacked(a)), keccak256(abi.encodePacked(m)), _marketStart());

        vm.expectEmit(address(judge));
        emit IDisputeGame.ClaimFell(1, MARKET, OLD, bytes32(0));
        _prove(MARKET, OLD, _previous(MARKET, OLD));
        assertTrue(judge.claimFallen(1, MARKET, OLD), "market 3's broken start fell");
        assertFalse(judge.claimFallen(1, ACCOUNTS, 0), "the others stand until shown");
        _prove(MARKET, NEW, _previous(MARKET, NEW));
        assertTrue(judge.claimFallen(1, MARKET, NEW), "a new market not starting from nothing fell");
        _prove(ACCOUNTS, 0, _previous(ACCOUNTS, 0));
        assertTrue(judge.claimFallen(1, ACCOUNTS, 0), "the accounts start that kept a batch-scoped field fell");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClaimFallen.selector, 1, ACCOUNTS, 0));
        _prove(ACCOUNTS, 0, _previous(ACCOUNTS, 0));
    }

    function test_aPreviousClaimNotProvenIsRefused() public {
        _commitBatch1(keccak256("any"), keccak256("any"), keccak256("any"));
        bytes memory refusal = abi.encodeWithSelector(IDisputeGame.PreviousNotProven.selector);
        IDisputeGame.PreviousClaim memory p = _previous(MARKET, OLD);
        p.endWords[19] = keccak256("another word");
        vm.expectRevert(refusal);
        _prove(MARKET, OLD, p);
        // The accounts words for a market, a market's absence shown for one the batch before claims.
        vm.expectRevert(refusal);
        _prove(MARKET, OLD, _previous(ACCOUNTS, 0));
        // Market 3 shown absent from a registry that holds it (market 4's path).
        vm.expectRevert(refusal);
        _prove(MARKET, OLD, _previous(MARKET, NEW));
        // The accounts claim opened, but market 4's absence shown with another registry's words.
        p = _previous(MARKET, NEW);
        p.endWords[1] = keccak256("another registry");
        vm.expectRevert(refusal);
        _prove(MARKET, NEW, p);
        assertFalse(judge.claimFallen(1, MARKET, OLD), "nothing fell");
    }

    function test_aClaimFelledByItsStartIsRepostedFromTheSoundOne() public {
        _wire(address(judge));
        bytes32 broken = keccak256("m3 start, not batch 0's end");
        _commitBatch1(_accountsStart(), broken, _nothing(NEW));
        _prove(MARKET, OLD, _previous(MARKET, OLD));
        assertEq(uint256(settlement.claimStatus(1, MARKET, OLD)), uint256(IRollupSettlement.ClaimStatus.Fallen), "fallen on L1");

        IRollupSettlement.RepostedClaim[] memory reposted = new IRollupSettlement.RepostedClaim[](1);
        reposted[0] = IRollupSettlement.RepostedClaim(_marketStart(), keccak256("m3 end 1"), 9);
        IRollupSettlement.ReplacedClaim memory replaced = IRollupSettlement.ReplacedClaim(keccak256("m3 end 1"), 9, Claims.proof(batch1, MARKET, OLD));
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, OLD, 1, replaced, reposted);

        // The re-post, as it stands (no siblings), follows batch 0's claim: shown again, it stands.
        assertFalse(judge.claimFallen(1, MARKET, OLD), "the re-posted version has not fallen");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.StartFollows.selector));
        judge.proveStartBroken(1, MARKET, OLD, reposted[0].start, reposted[0].end, 9, new bytes32[](0), _previous(MARKET, OLD));
        // The broken start it replaced is no claim of the batch any more.
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.UnknownClaim.selector));
        judge.proveStartBroken(1, MARKET, OLD, broken, reposted[0].end, 9, Claims.proof(batch1, MARKET, OLD), _previous(MARKET, OLD));
    }

    function test_aMarketNotRegisteredBeforeStartsFromNothingWhateverTheBatchBeforeClaims() public {
        // Batch 1 registers market 3 alone but also claims markets 4 and 5, with made-up ends. Neither was ever
        // registered, so in batch 2 each must start from nothing: market 4's claim follows the made-up end and falls,
        // market 5's starts from nothing and stands.
        bytes32[] memory words1 = new bytes32[](17);
        for (uint256 i = 0; i < 17; i++) {
            words1[i] = keccak256(abi.encode("accounts end 1 word", i));
        }
        words1[1] = _registryOf(OLD);
        IRollupSettlement.DomainClaim[] memory b1 = new IRollupSettlement.DomainClaim[](4);
        b1[0] = IRollupSettlement.DomainClaim(ACCOUNTS, 0, _accountsStart(), keccak256(abi.encodePacked(words1)), 30);
        b1[1] = IRollupSettlement.DomainClaim(MARKET, OLD, _marketStart(), keccak256("m3 end 1"), 9);
        b1[2] = IRollupSettlement.DomainClaim(MARKET, NEW, _nothing(NEW), keccak256("m4: a made-up end"), 9);
        b1[3] = IRollupSettlement.DomainClaim(MARKET, OTHER, _nothing(OTHER), keccak256("m5: a made-up end"), 9);
        _commitClaims(b1, 3);
        IRollupSettlement.DomainClaim[] memory b2 = new IRollupSettlement.DomainClaim[](3);
        b2[0] = IRollupSettlement.DomainClaim(ACCOUNTS, 0, keccak256("a2 start"), keccak256("a2 end"), 30);
        b2[1] = IRollupSettlement.DomainClaim(MARKET, NEW, keccak256("follows m4's made-up end"), keccak256("m4 end 2"), 9);
        b2[2] = IRollupSettlement.DomainClaim(MARKET, OTHER, _nothingAt(OTHER, 10), keccak256("m5 end 2"), 9);
        _commitClaims(b2, 3);

        judge.proveStartBroken(2, MARKET, NEW, b2[1].start, b2[1].end, 9, Claims.proof(b2, MARKET, NEW), _notRegistered(b1, words1, NEW));
        assertTrue(judge.claimFallen(2, MARKET, NEW), "a start other than nothing fell");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.StartFollows.selector));
        judge.proveStartBroken(2, MARKET, OTHER, b2[2].start, b2[2].end, 9, Claims.proof(b2, MARKET, OTHER), _notRegistered(b1, words1, OTHER));
    }

    function test_batchZeroHasNoClaimBefore() public {
        IRollupSettlement.DomainClaim[] memory claims = batch0;
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NoPreviousBatch.selector));
        judge.proveStartBroken(0, ACCOUNTS, 0, claims[0].start, claims[0].end, claims[0].steps, Claims.proof(claims, ACCOUNTS, 0), _previous(ACCOUNTS, 0));
    }
}

/// Batch 0's start from the empty genesis (a zero genesis root, as the node's): the accounts domain's 17 words all zero
/// (empty trees, no deposits, block 0, first sequence 0) and a market's nothing at block 0 (docs/steps.md, each
/// domain's "Its step state"); so batch 0's starts are held like any other's, and its re-post may mend one.
contract BrokenStartFromEmptyGenesisTest is DisputeFixture {
    uint32 internal constant M = 3;

    DisputeGame internal judge;
    IRollupSettlement.DomainClaim[] internal batch0;
    IDisputeGame.PreviousClaim internal none;

    function _genesisRoot() internal pure override returns (bytes32) {
        return bytes32(0);
    }

    function setUp() public override {
        super.setUp();
        judge = _deployBothKinds();
        _wire(address(judge));
    }

    function _emptyAccounts() internal pure returns (bytes32) {
        bytes32[17] memory w;
        return keccak256(abi.encodePacked(w));
    }

    function _emptyMarket(uint32 market) internal pure returns (bytes32) {
        bytes32[20] memory w;
        w[0] = bytes32(uint256(market));
        return keccak256(abi.encodePacked(w));
    }

    function _commitBatch0(bytes32 accountsStart, bytes32 marketStart) internal {
        batch0.push(IRollupSettlement.DomainClaim(ACCOUNTS, 0, accountsStart, keccak256("a0 end"), 7));
        batch0.push(IRollupSettlement.DomainClaim(MARKET, M, marketStart, keccak256("m3 end 0"), 7));
        IRollupSettlement.Commitment memory k = _nextCommitment(keccak256("state 0"), 0, 5, 0);
        k.txCount = 2;
        k.txRoot = keccak256("transactions");
        _setNextClaims(Claims.sorted(batch0));
        k.claimsRoot = Claims.root(batch0);
        _commit(k);
    }

    function _prove(uint8 kind, uint32 market, bytes32 start) internal {
        IRollupSettlement.DomainClaim memory c = batch0[kind == ACCOUNTS ? 0 : 1];
        judge.proveStartBroken(0, kind, market, start, c.end, c.steps, Claims.proof(batch0, kind, market), none);
    }

    function test_emptyStartsStandAndOthersFall() public {
        _commitBatch0(_emptyAccounts(), keccak256("market 3 from a made-up state"));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.StartFollows.selector));
        _prove(ACCOUNTS, 0, _emptyAccounts());
        _prove(MARKET, M, batch0[1].start);
        assertTrue(judge.claimFallen(0, MARKET, M), "a market start other than nothing fell");
        assertEq(uint256(settlement.claimStatus(0, MARKET, M)), uint256(IRollupSettlement.ClaimStatus.Fallen), "on L1");

        // Re-posted from the empty start, no replaced claim needed: it stands.
        IRollupSettlement.RepostedClaim[] memory reposted = new IRollupSettlement.RepostedClaim[](1);
        reposted[0] = IRollupSettlement.RepostedClaim(_emptyMarket(M), batch0[1].end, 7);
        IRollupSettlement.ReplacedClaim memory replaced;
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M, 0, replaced, reposted);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.StartFollows.selector));
        judge.proveStartBroken(0, MARKET, M, reposted[0].start, reposted[0].end, 7, new bytes32[](0), none);
    }

    function test_anAccountsStartNotEmptyFalls() public {
        bytes32[17] memory w;
        w[9] = bytes32(uint256(1)); // a first sequence of 1, not batch 0's 0
        _commitBatch0(keccak256(abi.encodePacked(w)), _emptyMarket(M));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.StartFollows.selector));
        _prove(MARKET, M, _emptyMarket(M));
        _prove(ACCOUNTS, 0, batch0[0].start);
        assertTrue(judge.claimFallen(0, ACCOUNTS, 0), "fell");
    }
}
