// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {BisectionFuzz} from "./lib/BisectionFuzz.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";

/// Games over a made-up domain whose true trace is truth(i) = keccak256(abi.encode(i)) (TraceProver proves any step
/// of it), for fuzzed step counts and fuzzed strategies: whoever holds the true trace and moves in time wins whatever
/// the other side does, and every game can be ended by block challenge + 2 x clockBlocks.
contract DisputeGameFuzzTest is BisectionFuzz {
    function setUp() public override {
        super.setUp();
        game = _deploy(address(traceProver));
    }

    function testFuzz_aDefenderWithTheTrueTraceAlwaysWins(uint256 seed, uint256 stepsSeed) public {
        Play memory p = _start(seed, stepsSeed, true);
        while (_open(p)) {
            IDisputeGame.Game memory g = game.game(p.id);
            if (g.toMove == IDisputeGame.Side.Defender) _honestDefender(p, g);
            else _anyChallenger(p, g);
        }
        assertEq(_status(p.id), DEFENDER_WON, "the true trace wins");
        assertFalse(game.claimFallen(0, ACCOUNTS, 0), "the true claim stands");
    }

    function testFuzz_aChallengerWithTheTrueTraceAlwaysWins(uint256 seed, uint256 stepsSeed) public {
        Play memory p = _start(seed, stepsSeed, false);
        while (_open(p)) {
            IDisputeGame.Game memory g = game.game(p.id);
            if (g.toMove == IDisputeGame.Side.Defender) _anyDefender(p, g);
            else _honestChallenger(p, g);
        }
        assertEq(_status(p.id), CHALLENGER_WON, "the true trace wins");
        assertTrue(game.claimFallen(0, ACCOUNTS, 0), "the false claim fell");
    }

    function testFuzz_everyGameEndsWithinTwoClocks(uint256 seed, uint256 stepsSeed, bool trueClaim) public {
        Play memory p = _start(seed, stepsSeed, trueClaim);
        while (_open(p)) {
            IDisputeGame.Game memory g = game.game(p.id);
            if (g.toMove == IDisputeGame.Side.Defender) _anyDefender(p, g);
            else _anyChallenger(p, g);
        }
    }
}
