// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "../../lib/SettlementFixture.sol";
import {Smt} from "../../lib/Smt.sol";
import {Claims} from "../../lib/Claims.sol";
import {IRollupSettlement} from "../../../src/IRollupSettlement.sol";
import {IDisputeGame} from "../../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../../src/disputes/DisputeGame.sol";
import {FixedProver, TraceProver} from "./MockProvers.sol";

/// @notice The cheatcodes the dispute tests need beyond test/lib/Test.sol's.
interface DisputeVm {
    function deal(address account, uint256 balance) external;
}

/// @notice The real settlement contract with claims committed by the sequencer, a dispute game over it whose accounts
/// prover is a mock, and the moves written as the parties make them.
abstract contract DisputeFixture is SettlementFixture {
    DisputeVm internal constant dvm = DisputeVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    uint256 internal constant CHALLENGER_BOND = 1 ether;
    uint256 internal constant DEFENDER_BOND = 2 ether;
    uint64 internal constant CLOCK = 100;
    uint32 internal constant BURN_PPM = 100_000; // 10 %
    address internal constant BURN = address(0xdead);
    address internal constant CAROL = address(0xCA201);
    address internal constant DAVE = address(0xDA7E);
    address internal constant DEFENDER = SEQUENCER;

    uint8 internal constant ACCOUNTS = 0;
    uint8 internal constant MARKET = 1;

    DisputeGame internal game;
    FixedProver internal fixedProver;
    TraceProver internal traceProver;

    /// One claim as committed: the accounts domain's unless set otherwise.
    struct Claim {
        uint64 batchIndex;
        uint8 kind;
        uint32 market;
        bytes32 start;
        bytes32 end;
        uint64 steps;
        bytes32[] siblings;
    }

    function setUp() public virtual override {
        super.setUp();
        fixedProver = new FixedProver();
        traceProver = new TraceProver();
        game = _deploy(address(fixedProver));
        dvm.deal(DEFENDER, 100 ether);
        dvm.deal(ALICE, 100 ether);
        dvm.deal(BOB, 100 ether);
        dvm.deal(CAROL, 100 ether);
        dvm.deal(DAVE, 100 ether);
    }

    function _deploy(address accountsProver) internal returns (DisputeGame) {
        return new DisputeGame(address(settlement), accountsProver, address(0), CHALLENGER_BOND, DEFENDER_BOND, CLOCK, BURN_PPM);
    }

    /// A game with the fixed prover for both domain kinds (what a game not judging a step, or an at-once proof, needs).
    function _deployBothKinds() internal returns (DisputeGame) {
        return new DisputeGame(address(settlement), address(fixedProver), address(fixedProver), CHALLENGER_BOND, DEFENDER_BOND, CLOCK, BURN_PPM);
    }

    /// The settlement's dispute game set to `g` through its time lock.
    function _wire(address g) internal {
        vm.prank(OPERATOR);
        settlement.proposeDisputeGame(g);
        vm.roll(block.number + TIMELOCK);
        settlement.executeDisputeGame();
    }

    // ---- claims ----

    function _claimKey(uint8 kind, uint32 market) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(kind, market));
    }

    function _claimValue(bytes32 start, bytes32 end, uint64 steps) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(start, end, steps));
    }

    /// Commits the next batch claiming the accounts domain alone, from `start` to `end` in `steps`.
    function _commitClaim(bytes32 start, bytes32 end, uint64 steps) internal returns (Claim memory c) {
        IRollupSettlement.Commitment memory k = _nextCommitment(keccak256(abi.encode("state", settlement.nextBatchIndex())), 0, 5, 0);
        IRollupSettlement.DomainClaim[] memory claims = new IRollupSettlement.DomainClaim[](1);
        claims[0] = IRollupSettlement.DomainClaim(ACCOUNTS, 0, start, end, steps);
        _setNextClaims(claims);
        k.claimsRoot = Smt.leaf(_claimKey(ACCOUNTS, 0), _claimValue(start, end, steps));
        _commit(k);
        c = Claim(k.batchIndex, ACCOUNTS, 0, start, end, steps, new bytes32[](0));
    }

    /// Commits the next batch claiming the accounts domain and market `market`; returns both claims with their proofs.
    function _commitTwoClaims(Claim memory accounts, uint32 market, Claim memory marketClaim)
        internal
        returns (Claim memory a, Claim memory m)
    {
        bytes32[] memory keys = new bytes32[](2);
        bytes32[] memory values = new bytes32[](2);
        (keys[0], values[0]) = (_claimKey(ACCOUNTS, 0), _claimValue(accounts.start, accounts.end, accounts.steps));
        (keys[1], values[1]) = (_claimKey(MARKET, market), _claimValue(marketClaim.start, marketClaim.end, marketClaim.steps));
        IRollupSettlement.Commitment memory k = _nextCommitment(keccak256(abi.encode("state", settlement.nextBatchIndex())), 0, 5, 0);
        IRollupSettlement.DomainClaim[] memory claims = new IRollupSettlement.DomainClaim[](2);
        claims[0] = IRollupSettlement.DomainClaim(ACCOUNTS, 0, accounts.start, accounts.end, accounts.steps);
        claims[1] = IRollupSettlement.DomainClaim(MARKET, market, marketClaim.start, marketClaim.end, marketClaim.steps);
        _setNextClaims(Claims.sorted(claims));
        k.claimsRoot = Smt.root(keys, values);
        _commit(k);
        a = Claim(k.batchIndex, ACCOUNTS, 0, accounts.start, accounts.end, accounts.steps, Smt.proof(keys, values, keys[0]));
        m = Claim(k.batchIndex, MARKET, market, marketClaim.start, marketClaim.end, marketClaim.steps, Smt.proof(keys, values, keys[1]));
    }

    // ---- moves ----

    function _challenge(address challenger, Claim memory c, bytes32 challengerEnd) internal returns (bytes32) {
        return _challengeWith(challenger, c, challengerEnd, CHALLENGER_BOND);
    }

    function _challengeWith(address challenger, Claim memory c, bytes32 challengerEnd, uint256 bond)
        internal
        returns (bytes32)
    {
        vm.prank(challenger);
        return game.challenge{value: bond}(c.batchIndex, c.kind, c.market, c.start, c.end, c.steps, c.siblings, challengerEnd);
    }

    function _expectChallengeRevert(address challenger, Claim memory c, bytes32 challengerEnd, bytes memory refusal) internal {
        vm.expectRevert(refusal);
        _challenge(challenger, c, challengerEnd);
    }

    /// The defender's bisection, with its bond on its first move.
    function _bisect(bytes32 gameId, bytes32 mid) internal {
        uint256 bond = game.game(gameId).defenderBonded ? 0 : DEFENDER_BOND;
        vm.prank(DEFENDER);
        game.bisect{value: bond}(gameId, mid);
    }

    function _answer(bytes32 gameId, bool agree, bytes32 mid) internal {
        vm.prank(game.game(gameId).challenger);
        game.answer(gameId, agree, mid);
    }

    function _status(bytes32 gameId) internal view returns (uint256) {
        return uint256(game.game(gameId).status);
    }

    function _withdraw(address account) internal returns (uint256 paid) {
        uint256 before = account.balance;
        vm.prank(account);
        game.withdraw();
        paid = account.balance - before;
    }

    function _e(bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }
}
