// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {DisputeFixture} from "./lib/DisputeFixture.sol";
import {Claims} from "../lib/Claims.sol";
import {Smt} from "../lib/Smt.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../src/disputes/DisputeGame.sol";

/// A missing claim (docs/disputes.md, "A missing claim"): every market registered at a batch's end is claimed in it
/// (docs/steps.md, "Claims"), the registry being word 1 of the accounts claim's end (docs/steps.md, the accounts
/// domain's "Its step state": key keccak256(u32 m), value hash keccak256(0x01)). Batch 0 claims the accounts domain and
/// markets 3 and 4; batch 1's accounts end registers both, and it claims the accounts domain and market 3 alone.
contract MissingClaimTest is DisputeFixture {
    uint32 internal constant CLAIMED = 3;
    uint32 internal constant MISSING = 4;
    uint32 internal constant UNKNOWN = 9;

    DisputeGame internal judge;
    bytes32[17] internal accountsEnd1;
    IRollupSettlement.DomainClaim[] internal batch0;
    IRollupSettlement.DomainClaim[] internal batch1;
    bytes32[] internal registryKeys;
    bytes32[] internal registryValues;

    function setUp() public override {
        super.setUp();
        judge = _deployBothKinds();
        _wire(address(judge));

        for (uint32 m = CLAIMED; m <= MISSING; m++) {
            registryKeys.push(keccak256(abi.encodePacked(m)));
            registryValues.push(keccak256(hex"01"));
        }
        for (uint256 i = 0; i < 17; i++) {
            accountsEnd1[i] = keccak256(abi.encode("accounts end word", i));
        }
        accountsEnd1[1] = Smt.root(registryKeys, registryValues);

        batch0.push(IRollupSettlement.DomainClaim(ACCOUNTS, 0, keccak256("a0 start"), keccak256("a0 end"), 4));
        batch0.push(IRollupSettlement.DomainClaim(MARKET, CLAIMED, keccak256("m3 start"), keccak256("m3 end 0"), 4));
        batch0.push(IRollupSettlement.DomainClaim(MARKET, MISSING, keccak256("m4 start"), keccak256("m4 end 0"), 4));
        _commitClaims(batch0);
        batch1.push(IRollupSettlement.DomainClaim(ACCOUNTS, 0, keccak256("a1 start"), keccak256(abi.encodePacked(accountsEnd1)), 6));
        batch1.push(IRollupSettlement.DomainClaim(MARKET, CLAIMED, keccak256("m3 start 1"), keccak256("m3 end 1"), 6));
        _commitClaims(batch1);
    }

    function _commitClaims(IRollupSettlement.DomainClaim[] memory claims) internal {
        IRollupSettlement.Commitment memory k = _nextCommitment(keccak256(abi.encode("state", settlement.nextBatchIndex())), 0, 5, 0);
        k.txCount = 1;
        k.txRoot = keccak256("transactions");
        _setNextClaims(Claims.sorted(claims));
        k.claimsRoot = Claims.root(claims);
        _commit(k);
    }

    function _accounts() internal view returns (IRollupSettlement.AccountsEnd memory) {
        return IRollupSettlement.AccountsEnd(batch1[0].start, batch1[0].steps, accountsEnd1, Claims.proof(batch1, ACCOUNTS, 0));
    }

    function _absence(uint32 market) internal view returns (IDisputeGame.Absence memory a) {
        bytes32[] memory keys = new bytes32[](batch1.length);
        bytes32[] memory values = new bytes32[](batch1.length);
        for (uint256 i = 0; i < batch1.length; i++) {
            (keys[i], values[i]) = (Claims.key(batch1[i].kind, batch1[i].market), Claims.value(batch1[i]));
        }
        (a.siblings, a.endingKey, a.endingValueHash) = Smt.absence(keys, values, Claims.key(MARKET, market));
    }

    function _registered(uint32 market) internal view returns (bytes32[] memory) {
        return Smt.proof(registryKeys, registryValues, keccak256(abi.encodePacked(market)));
    }

    function test_aRegisteredMarketTheBatchDoesNotClaimFallsAndIsRepostedFromThere() public {
        vm.expectEmit(address(judge));
        emit IDisputeGame.ClaimFell(1, MARKET, MISSING, bytes32(0));
        judge.proveClaimMissing(1, MISSING, _accounts(), _registered(MISSING), _absence(MISSING));
        assertTrue(judge.claimFallen(1, MARKET, MISSING), "the missing claim fell");
        assertEq(uint256(settlement.claimStatus(1, MARKET, MISSING)), uint256(IRollupSettlement.ClaimStatus.Fallen), "on L1");
        assertEq(uint256(settlement.claimStatus(1, MARKET, CLAIMED)), uint256(IRollupSettlement.ClaimStatus.Pending), "market 3 stands");
        assertEq(uint256(settlement.claimStatus(0, MARKET, MISSING)), uint256(IRollupSettlement.ClaimStatus.Pending), "batch 0's claim stands");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClaimFallen.selector, 1, MARKET, MISSING));
        judge.proveClaimMissing(1, MISSING, _accounts(), _registered(MISSING), _absence(MISSING));

        // The sequencer re-posts market 4 from batch 1: the batch now claims it, by its hash, and a game can dispute it.
        IRollupSettlement.RepostedClaim[] memory reposted = new IRollupSettlement.RepostedClaim[](1);
        reposted[0] = IRollupSettlement.RepostedClaim(keccak256("m4 start 1"), keccak256("m4 end 1"), 6);
        IRollupSettlement.ReplacedClaim memory none;
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, MISSING, 1, none, reposted);
        assertTrue(settlement.claimIncluded(1, MARKET, MISSING, reposted[0].start, reposted[0].end, 6, new bytes32[](0)), "re-posted");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClaimNotMissing.selector, MISSING));
        judge.proveClaimMissing(1, MISSING, _accounts(), _registered(MISSING), _absence(MISSING));
    }

    function test_aClaimedOrUnregisteredMarketIsNotMissing() public {
        // Market 3 is claimed: no absence path leads to the claims root.
        bytes memory claimed = abi.encodeWithSelector(IDisputeGame.ClaimNotMissing.selector, CLAIMED);
        IDisputeGame.Absence memory a = _absence(MISSING);
        vm.expectRevert(claimed);
        judge.proveClaimMissing(1, CLAIMED, _accounts(), _registered(CLAIMED), a);
        // Market 9 is absent from the batch but not registered: the registry path shows market 4's leaf, not 9's.
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NotRegistered.selector, UNKNOWN));
        judge.proveClaimMissing(1, UNKNOWN, _accounts(), _registered(MISSING), _absence(UNKNOWN));
        assertFalse(judge.claimFallen(1, MARKET, UNKNOWN) || judge.claimFallen(1, MARKET, CLAIMED), "nothing fell");
    }

    function test_theAccountsClaimMustBeTheBatchsOpened() public {
        IRollupSettlement.AccountsEnd memory accounts = _accounts();
        accounts.end[1] = keccak256("a registry with market 4 in it, not the claim's");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.UnknownClaim.selector));
        judge.proveClaimMissing(1, MISSING, accounts, _registered(MISSING), _absence(MISSING));
        accounts = _accounts();
        accounts.steps = 7;
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.UnknownClaim.selector));
        judge.proveClaimMissing(1, MISSING, accounts, _registered(MISSING), _absence(MISSING));
    }

    function test_aBatchPastItsWindowIsNotReopened() public {
        vm.roll(block.number + CHALLENGE_WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClaimNotPending.selector, 1, MARKET, MISSING, IRollupSettlement.ClaimStatus.Final));
        judge.proveClaimMissing(1, MISSING, _accounts(), _registered(MISSING), _absence(MISSING));
    }
}
