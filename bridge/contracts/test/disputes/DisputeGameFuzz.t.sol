// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {DisputeFixture} from "./lib/DisputeFixture.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";

/// Games over a made-up domain whose true trace is truth(i) = keccak256(abi.encode(i)) (TraceProver proves any step
/// of it), for fuzzed step counts and fuzzed strategies: whoever holds the true trace and moves in time wins whatever
/// the other side does, and every game can be ended by block challenge + 2 x clockBlocks.
contract DisputeGameFuzzTest is DisputeFixture {
    uint256 internal constant DEFENDER_WON = 2;
    uint256 internal constant CHALLENGER_WON = 3;

    /// A play in progress: the game, a stream of choices, and the block it started at.
    struct Play {
        bytes32 id;
        uint256 seed;
        uint256 drawn;
        uint256 startedAt;
        uint256 moves;
    }

    function setUp() public override {
        super.setUp();
        game = _deploy(address(traceProver));
    }

    function truth(uint64 i) internal pure returns (bytes32) {
        return keccak256(abi.encode(i));
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

    /// Whether the game goes on; checks on each turn that the side to move's clock runs out by 2 x clockBlocks after
    /// the challenge, and that the bisections and answers stay within the rounds a halving range allows.
    function _open(Play memory p) internal view returns (bool) {
        IDisputeGame.Game memory g = game.game(p.id);
        if (g.status != IDisputeGame.Status.Open) {
            assertTrue(block.number <= p.startedAt + 2 * CLOCK, "ended within 2 x clockBlocks");
            return false;
        }
        uint64 budget = g.toMove == IDisputeGame.Side.Defender ? g.defenderClock : g.challengerClock;
        assertTrue(g.turnSince + budget <= p.startedAt + 2 * CLOCK, "the mover's clock runs out within 2 x clockBlocks");
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
