// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {FinalityFixture} from "./lib/FinalityFixture.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";

/// Random sequences of commitments, challenges, games ended either way or timed out, abandonments, re-posts (some
/// moving a later batch's start), claims shown cut short (proveNotEnded) and blocks, with the settlement's own game
/// set: after every step the final batches are a prefix (isFinalized agrees with finalBatchCount, which never shrinks)
/// and a claim once Final stays Final.
contract FinalityFuzzTest is FinalityFixture {
    uint256 internal constant STEPS_PER_RUN = 40;
    uint64 internal constant MAX_BATCHES = 8;

    bytes32[] internal games;
    mapping(uint64 batchIndex => mapping(uint8 slot => bool)) internal wasFinal;
    uint64 internal lastCount;
    address[4] internal challengers = [ALICE, BOB, CAROL, DAVE];

    function setUp() public override {
        super.setUp();
        _wire(address(game));
        _commitBatch();
    }

    function testFuzz_finalBatchesAreAPrefixAndFinalClaimsStayFinal(uint256 seed) public {
        for (uint256 i = 0; i < STEPS_PER_RUN; i++) {
            seed = uint256(keccak256(abi.encode(seed, i)));
            _step(seed);
            _check();
        }
    }

    function _step(uint256 r) internal {
        uint256 op = r % 10;
        r >>= 8;
        if (op <= 1) {
            if (settlement.nextBatchIndex() < MAX_BATCHES) _commitBatch();
            vm.roll(block.number + 1);
        } else if (op <= 3) {
            _tryChallenge(r);
        } else if (op == 4 || op == 5) {
            _tryEnd(r, op == 5);
        } else if (op == 6) {
            vm.roll(block.number + 1 + r % 4);
        } else if (op == 7) {
            _tryRepost(r);
        } else if (op == 8) {
            _tryCutShort(r);
        } else {
            if (games.length > 0) {
                try game.abandon(games[r % games.length]) {} catch {}
            }
        }
    }

    function _domain(uint256 r) internal pure returns (uint8 kind, uint32 market) {
        uint256 d = r % 3;
        return d == 0 ? (ACCOUNTS, uint32(0)) : (MARKET, uint32(d));
    }

    function _tryChallenge(uint256 r) internal {
        // Mostly the last two batches, whose windows (10 blocks) are most likely running.
        uint64 n = settlement.nextBatchIndex();
        uint64 b = r % 4 == 0 ? uint64((r >> 4) % n) : n - 1 - uint64((r >> 4) % (n > 1 ? 2 : 1));
        (uint8 kind, uint32 market) = _domain(r >> 8);
        Claim memory c = _claimOf(b, kind, market);
        vm.prank(challengers[(r >> 16) % 4]);
        try game.challenge{value: CHALLENGER_BOND}(c.batchIndex, c.kind, c.market, c.start, c.end, c.steps, c.siblings, LIE)
        returns (bytes32 id) {
            games.push(id);
        } catch {}
    }

    /// A proof, or once the defender's clock is out a timeout (the challenger wins), or an abandonment.
    function _tryEnd(uint256 r, bool challengerWins) internal {
        if (games.length == 0) return;
        bytes32 id = games[r % games.length];
        _proverFor(id, challengerWins);
        try game.prove(id, "") {}
        catch {
            try game.timeout(id) {}
            catch {
                try game.abandon(id) {} catch {}
            }
        }
    }

    /// A step from a claim's end, which the mock prover then accepts: the claim falls at once if open to games.
    function _tryCutShort(uint256 r) internal {
        uint64 n = settlement.nextBatchIndex();
        uint64 b = n - 1 - uint64((r >> 4) % (n > 1 ? 2 : 1));
        (uint8 kind, uint32 market) = _domain(r >> 8);
        Claim memory c = _claimOf(b, kind, market);
        fixedProver.set(c.end, LIE);
        try game.proveNotEnded(c.batchIndex, c.kind, c.market, c.start, c.end, c.steps, c.siblings, "") {} catch {}
    }

    function _tryRepost(uint256 r) internal {
        (uint8 kind, uint32 market) = _domain(r);
        uint64 n = settlement.nextBatchIndex();
        for (uint64 b = 0; b < n; b++) {
            if (settlement.claimStatus(b, kind, market) != IRollupSettlement.ClaimStatus.Fallen) continue;
            (IRollupSettlement.ReplacedClaim memory replaced, IRollupSettlement.RepostedClaim[] memory claims, uint64 from) =
                _repostArgs(kind, market, r);
            // A re-post after batch 0 may move its start (proveStartBroken holds it to the claim before).
            if (from > 0 && (r >> 40) % 2 == 0) claims[0].start = keccak256(abi.encode("a start moved", r));
            vm.prank(SEQUENCER);
            try settlement.repostClaims(kind, market, from, replaced, claims) {
                _record(kind, market, from, claims);
            } catch {}
            return;
        }
    }

    function _check() internal virtual {
        uint64 n = settlement.nextBatchIndex();
        uint64 count = settlement.finalBatchCount();
        assertTrue(count >= lastCount, "final batches never become fewer");
        lastCount = count;
        for (uint64 b = 0; b < n; b++) {
            assertEq(settlement.isFinalized(b) ? 1 : 0, b < count ? 1 : 0, "final batches are the prefix finalBatchCount says");
            for (uint8 slot = 0; slot < 3; slot++) {
                (uint8 kind, uint32 market) = _domain(slot);
                bool isFinal = settlement.claimStatus(b, kind, market) == IRollupSettlement.ClaimStatus.Final;
                if (wasFinal[b][slot]) assertTrue(isFinal, "a Final claim stays Final");
                if (isFinal) wasFinal[b][slot] = true;
            }
            if (b < count) {
                assertTrue(
                    settlement.claimStatus(b, ACCOUNTS, 0) == IRollupSettlement.ClaimStatus.Final,
                    "a final batch's accounts claim is Final"
                );
            }
        }
    }
}
