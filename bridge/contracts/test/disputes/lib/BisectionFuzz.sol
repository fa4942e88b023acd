// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {DisputeFixture} from "./DisputeFixture.sol";
import {IDisputeGame} from "../../../src/disputes/IDisputeGame.sol";

/// Fuzzed play over a made-up domain whose true trace is truth(i) = keccak256(abi.encode(i)) (TraceProver and its kin
/// prove any step of it): a claim and its challenge, a stream of choices, and strategies for either side.
abstract contract BisectionFuzz is DisputeFixture {
    uint256 internal constant DEFENDER_WON = 2;
    uint256 internal constant CHALLENGER_WON = 3;

    /// A play in progress: the game, a stream of choices, and the block it started at.
    struct Play {
        bytes32 id;
        uint256 seed;
        uint256 drawn;
        uint256 startedAt;
        uint256 moves;
        bool awaited; // the defender stopped its clock once (awaitInput)
    }

    function truth(uint64 i) internal pure returns (bytes32) {
        return keccak256(abi.encode(i));
    }

    // ---- the game ----

    /// A claim of the true trace's start and `steps` steps, its end true or not, and a challenge with the other end.
    function _start(uint256 seed, uint256 stepsSeed, bool trueClaim) internal returns (Play memory p) {
        // Step counts of every size up to 2^40, small ones as likely as large ones.
        uint256 bits = stepsSeed % 41;
        uint64 steps = uint64(1 + (stepsSeed >> 8) % (uint256(1) << bits));
        p.seed = seed;
        bytes32 lie = keccak256(abi.encode("a false end", seed));
        (bytes32 end, bytes32 challengerEnd) = trueClaim ? (truth(steps), lie) : (lie, truth(steps));
        Claim memory c = _commitClaim(truth(0), end, steps);
        p.startedAt = block.number;
        p.id = _challenge(ALICE, c, challengerEnd);
    }

    /// The block by which every game can be ended: 2 x clockBlocks after the challenge.
    function _endBound(Play memory p) internal view virtual returns (uint256) {
        return p.startedAt + 2 * CLOCK;
    }

    /// Whether the game goes on; checks on each turn that the side to move's clock runs out by the bound, and that the
    /// bisections and answers stay within the rounds a halving range allows.
    function _open(Play memory p) internal view returns (bool) {
        IDisputeGame.Game memory g = game.game(p.id);
        if (g.status != IDisputeGame.Status.Open) {
            assertTrue(block.number <= _endBound(p), "ended within the bound");
            return false;
        }
        uint64 budget = g.toMove == IDisputeGame.Side.Defender ? g.defenderClock : g.challengerClock;
        assertTrue(g.turnSince + budget <= _endBound(p), "the mover's clock runs out within the bound");
        assertTrue(p.moves <= 2 * 40, "at most two moves a round, 40 rounds for 2^40 steps");
        return true;
    }

    function _draw(Play memory p) internal pure returns (uint256) {
        p.drawn++;
        return uint256(keccak256(abi.encode(p.seed, p.drawn)));
    }

    function _left(Play memory p) internal view returns (uint64 left) {
        (uint64 d, uint64 c) = game.clocks(p.id);
        left = game.game(p.id).toMove == IDisputeGame.Side.Defender ? d : c;
    }

    /// Waits some blocks the mover's clock allows (never all of it).
    function _think(Play memory p) internal {
        uint64 left = _left(p);
        vm.roll(block.number + _draw(p) % left);
    }

    /// The mover lets its clock run out: a timeout refused one block early, accepted then.
    function _stall(Play memory p) internal {
        uint64 left = _left(p);
        vm.roll(block.number + left - 1);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClockNotOut.selector, 1));
        game.timeout(p.id);
        vm.roll(block.number + 1);
        game.timeout(p.id);
    }

    function _mid(IDisputeGame.Game memory g) internal pure returns (uint64) {
        return g.lo + (g.hi - g.lo) / 2;
    }

    // ---- strategies ----

    function _honestDefender(Play memory p, IDisputeGame.Game memory g) internal {
        _think(p);
        if (g.hi - g.lo == 1) return game.prove(p.id, abi.encode(g.lo));
        p.moves++;
        _bisect(p.id, truth(_mid(g)));
    }

    function _honestChallenger(Play memory p, IDisputeGame.Game memory g) internal {
        _think(p);
        p.moves++;
        bytes32 mine = truth(_mid(g));
        _answer(p.id, g.mid == mine, mine);
    }

    /// Stalls, tries to prove some step (a wrong one is refused), or bisects with the truth or a lie.
    function _anyDefender(Play memory p, IDisputeGame.Game memory g) internal {
        uint256 r = _draw(p);
        if (r % 10 == 0) return _stall(p);
        _think(p);
        if (g.hi - g.lo == 1) {
            uint64 step = r % 3 == 0 ? g.lo : uint64(_draw(p) % (uint256(g.lo) + 3));
            if (truth(step) != g.agreed) {
                vm.expectRevert(abi.encodeWithSelector(IDisputeGame.WrongPreState.selector, g.agreed, truth(step)));
            }
            game.prove(p.id, abi.encode(step));
        } else {
            p.moves++;
            _bisect(p.id, (r >> 8) % 2 == 0 ? truth(_mid(g)) : keccak256(abi.encode("a lie", r)));
        }
    }

    /// Stalls, tries to prove some step when one is left, or agrees or disagrees with anything.
    function _anyChallenger(Play memory p, IDisputeGame.Game memory g) internal {
        uint256 r = _draw(p);
        if (r % 10 == 0) return _stall(p);
        _think(p);
        p.moves++;
        bool agree = (r >> 8) % 2 == 0;
        bytes32 mid = (r >> 16) % 2 == 0 ? truth(_mid(g)) : keccak256(abi.encode("a lie", r));
        if (!agree && mid == g.mid) mid = keccak256(abi.encode("another lie", r));
        _answer(p.id, agree, mid);
    }
}
