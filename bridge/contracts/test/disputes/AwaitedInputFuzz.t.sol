// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {BisectionFuzz} from "./lib/BisectionFuzz.sol";
import {InputTraceProver} from "./lib/MockProvers.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";

/// Games whose every step reads another claim of the batch (market 7's, InputTraceProver), under a window longer than
/// a clock and shorter than two, so the one step left finds that claim Pending or Final by the play's timing: whoever
/// holds the true trace still wins whatever the other side does, a stopped clock is never timed out, and every game can
/// be ended by the claim's window end plus 2 x clockBlocks (docs/disputes.md, "A game").
contract AwaitedInputFuzzTest is BisectionFuzz {
    uint64 internal constant LONG_WINDOW = 150;
    uint8 internal constant MARKET_KIND = 1;

    uint32 internal input;

    function setUp() public override {
        super.setUp();
        InputTraceProver prover = new InputTraceProver();
        input = prover.INPUT_MARKET();
        game = _deploy(address(prover));
    }

    function _initialConfig() internal pure override returns (IRollupSettlement.Config memory) {
        return IRollupSettlement.Config(LONG_WINDOW, FORCED_INCLUSION, ESCAPE_TIMEOUT);
    }

    function _endBound(Play memory p) internal pure override returns (uint256) {
        return p.startedAt + LONG_WINDOW + 2 * CLOCK;
    }

    function testFuzz_anHonestDefenderWhoseStepReadsAClaimWinsOnceItIsFinal(uint256 seed, uint256 stepsSeed) public {
        Play memory p = _start(seed, stepsSeed, true);
        while (_open(p)) {
            IDisputeGame.Game memory g = game.game(p.id);
            if (g.toMove == IDisputeGame.Side.Challenger) _anyChallenger(p, g);
            else if (g.hi - g.lo > 1) _honestDefender(p, g);
            else _honestDefenderAtTheStep(p, g);
        }
        assertEq(_status(p.id), DEFENDER_WON, "the true trace wins");
    }

    function testFuzz_aChallengerWithTheTrueTraceWinsWhateverTheDefenderAwaits(uint256 seed, uint256 stepsSeed) public {
        Play memory p = _start(seed, stepsSeed, false);
        while (_open(p)) {
            IDisputeGame.Game memory g = game.game(p.id);
            if (g.toMove == IDisputeGame.Side.Challenger) _honestChallenger(p, g);
            else if (g.hi - g.lo > 1) _anyDefender(p, g);
            else _anyDefenderAtTheStep(p, g);
        }
        assertEq(_status(p.id), CHALLENGER_WON, "the true trace wins");
    }

    // ---- the step's input ----

    function _inputFinalAt() internal view returns (uint64 finalAt) {
        (,,, finalAt) = settlement.claimState(0, MARKET_KIND, input);
    }

    function _inputFinal() internal view returns (bool) {
        return settlement.claimStatus(0, MARKET_KIND, input) == IRollupSettlement.ClaimStatus.Final;
    }

    function _awaiting(Play memory p) internal view returns (bool awaiting) {
        (awaiting,,) = game.awaitedInput(p.id);
    }

    /// While the clock is stopped: a timeout is refused, blocks pass up to the input's finality, and once it is Final
    /// anyone starts the clock again. True if it handled the turn.
    function _whileStopped(Play memory p) internal returns (bool) {
        if (!_awaiting(p)) return false;
        if (_inputFinal()) {
            game.resumeClock(p.id);
            return true;
        }
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.AwaitingInput.selector, MARKET_KIND, input));
        game.timeout(p.id);
        uint256 until = _inputFinalAt() - block.number;
        vm.roll(block.number + 1 + _draw(p) % until);
        return true;
    }

    function _stopClock(Play memory p, IDisputeGame.Game memory g) internal {
        vm.prank(DEFENDER);
        game.awaitInput(p.id, abi.encode(g.lo));
        p.awaited = true;
    }

    function _honestDefenderAtTheStep(Play memory p, IDisputeGame.Game memory g) internal {
        if (_whileStopped(p)) return;
        _think(p);
        if (_inputFinal()) return game.prove(p.id, abi.encode(g.lo));
        // Its step is right, and the input is not Final yet: it stops its clock rather than let it run out.
        _stopClock(p, g);
    }

    /// Stops its clock when it can, stalls, or proves (refused while the input is not Final).
    function _anyDefenderAtTheStep(Play memory p, IDisputeGame.Game memory g) internal {
        if (_whileStopped(p)) return;
        uint256 r = _draw(p);
        if (r % 4 == 0) return _stall(p);
        _think(p);
        if (r % 4 == 1 && !p.awaited && !_inputFinal()) return _stopClock(p, g);
        if (!_inputFinal()) {
            vm.expectRevert(
                abi.encodeWithSelector(IDisputeGame.InputNotFinal.selector, MARKET_KIND, input, IRollupSettlement.ClaimStatus.Pending)
            );
        }
        game.prove(p.id, abi.encode(g.lo));
    }
}
