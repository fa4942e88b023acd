// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {FinalityFixture} from "./lib/FinalityFixture.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../src/disputes/DisputeGame.sol";

/// A claim cut short (docs/disputes.md, "A claim cut short"): its end is the true state after its steps, but a step
/// follows it, so proveNotEnded fells it at once. The trace prover of MockProvers proves step i from state(i) for any
/// i, so every claim of it ending in state(n) is cut short; on the real provers no step follows a trace's true end
/// (AccountsOneStepProverTest.test_noStepFollowsABatchsLastBlock).
contract CutShortTest is FinalityFixture {
    DisputeGame internal traced;

    function setUp() public override {
        super.setUp();
        traced = new DisputeGame(address(settlement), address(traceProver), address(0), CHALLENGER_BOND, DEFENDER_BOND, CLOCK, BURN_PPM);
    }

    function _cutShort(DisputeGame g, Claim memory c, uint64 from) internal {
        g.proveNotEnded(c.batchIndex, c.kind, c.market, c.start, c.end, c.steps, c.siblings, abi.encode(from));
    }

    function test_aClaimWhoseEndAStepFollowsFalls() public {
        Claim memory c = _commitClaim(traceProver.state(0), traceProver.state(5), 5);
        vm.expectEmit(address(traced));
        emit IDisputeGame.ClaimFell(c.batchIndex, ACCOUNTS, 0, bytes32(0));
        _cutShort(traced, c, 5);
        assertTrue(traced.claimFallen(c.batchIndex, ACCOUNTS, 0), "fallen");
        // Fallen once: a second proof, or a game against it, is refused.
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClaimFallen.selector, c.batchIndex, ACCOUNTS, 0));
        _cutShort(traced, c, 5);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClaimFallen.selector, c.batchIndex, ACCOUNTS, 0));
        traced.challenge{value: CHALLENGER_BOND}(c.batchIndex, ACCOUNTS, 0, c.start, c.end, c.steps, c.siblings, keccak256("x"));
    }

    function test_aClaimOfZeroStepsCanBeCutShortToo() public {
        Claim memory c = _commitClaim(traceProver.state(0), traceProver.state(0), 0);
        _cutShort(traced, c, 0);
        assertTrue(traced.claimFallen(c.batchIndex, ACCOUNTS, 0), "a zero-step claim whose start a step follows");
    }

    function test_aStepFromAnotherStateIsNotTheClaimsEnd() public {
        Claim memory c = _commitClaim(traceProver.state(0), traceProver.state(5), 5);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.WrongPreState.selector, traceProver.state(5), traceProver.state(4)));
        _cutShort(traced, c, 4);
        assertFalse(traced.claimFallen(c.batchIndex, ACCOUNTS, 0), "stands");
    }

    function test_onlyTheBatchsClaimBeforeItIsFinal() public {
        Claim memory c = _commitClaim(traceProver.state(0), traceProver.state(5), 5);
        Claim memory other = Claim(c.batchIndex, c.kind, c.market, c.start, c.end, 4, c.siblings);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.UnknownClaim.selector));
        _cutShort(traced, other, 5);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NoProver.selector, MARKET));
        traced.proveNotEnded(c.batchIndex, MARKET, 1, c.start, c.end, c.steps, c.siblings, abi.encode(uint64(5)));
        vm.roll(block.number + CHALLENGE_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.BatchFinal.selector, c.batchIndex));
        _cutShort(traced, c, 5);
    }

    /// On the settlement: the claim falls there as a game's win would fell it, voiding its domain from its batch; a
    /// claim not open to games (here: void) is refused as challenge refuses it.
    function test_onTheSettlementTheDomainIsVoidedFromThere() public {
        DisputeGame wired = new DisputeGame(address(settlement), address(traceProver), address(0), CHALLENGER_BOND, DEFENDER_BOND, CLOCK, BURN_PPM);
        _wire(address(wired));
        Claim memory c = _commitClaim(traceProver.state(0), traceProver.state(5), 5);
        Claim memory next = _commitClaim(traceProver.state(5), traceProver.state(9), 4);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DomainVoided(ACCOUNTS, 0, c.batchIndex, c.batchIndex);
        _cutShort(wired, c, 5);
        (IRollupSettlement.ClaimStatus status,, uint32 open,) = settlement.claimState(c.batchIndex, ACCOUNTS, 0);
        assertEq(uint256(status), uint256(IRollupSettlement.ClaimStatus.Fallen), "fallen on the settlement");
        assertEq(open, 0, "no game left open");
        assertTrue(wired.claimFallen(c.batchIndex, ACCOUNTS, 0), "and in the game");
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeGame.ClaimNotPending.selector, next.batchIndex, ACCOUNTS, 0, IRollupSettlement.ClaimStatus.Void)
        );
        _cutShort(wired, next, 9);
    }
}
