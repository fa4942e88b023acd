// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {ReplayWindow} from "../../src/steps/ReplayWindow.sol";

/// Expected values from docs/transactions.md "Nonces": H the highest used nonce, bit i of the bitmap nonce H − i.
contract ReplayWindowTest is StepsTest {
    uint8 internal constant OK = 0;
    uint8 internal constant REPLAYED = 1;
    uint8 internal constant TOO_OLD = 2;
    uint8 internal constant TOO_FAR = 3;
    uint64 internal constant JUMP = 1 << 32;

    function consume(uint64 h, uint64 used, uint64 nonce, uint8 refusal, uint64 h2, uint64 used2, string memory what)
        internal
        pure
    {
        assertEq(ReplayWindow.check(h, used, nonce), refusal, string.concat(what, ": check"));
        (uint8 r, uint64 nh, uint64 nu) = ReplayWindow.tryConsume(h, used, nonce);
        assertEq(r, refusal, string.concat(what, ": tryConsume"));
        assertEq(nh, h2, string.concat(what, ": highest"));
        assertEq(nu, used2, string.concat(what, ": bitmap"));
    }

    function test_fresh() public pure {
        consume(0, 0, 0, OK, 0, 1, "nonce 0 for a fresh signer");
        consume(0, 0, 7, OK, 7, 1, "any first nonce below 2^32");
        consume(0, 0, JUMP - 1, OK, JUMP - 1, 1, "2^32 - 1");
        consume(0, 0, JUMP, TOO_FAR, 0, 0, "2^32 is too far for a fresh signer");
        consume(0, 0, type(uint64).max, TOO_FAR, 0, 0, "2^64 - 1 too");
    }

    function test_slidingUp() public pure {
        consume(100, 1, 101, OK, 101, 0x3, "the next nonce: H and H - 1 used");
        consume(100, 1, 103, OK, 103, 0x9, "a gap of two");
        // 0b101 at H = 100 (100 and 98 used), up by 63: 100 is now bit 63, 98 falls out.
        consume(100, 0x5, 163, OK, 163, (uint64(1) << 63) | 1, "up by 63 keeps H");
        consume(100, type(uint64).max, 164, OK, 164, 1, "up by 64 forgets everything");
        consume(100, type(uint64).max, 100 + 1000, OK, 1100, 1, "far past 64");
    }

    function test_insideTheWindow() public pure {
        uint64 used = 0x1; // only 100
        consume(100, used, 100, REPLAYED, 100, used, "H itself again");
        consume(100, used, 99, OK, 100, 0x3, "H - 1 unused");
        consume(100, 0x3, 99, REPLAYED, 100, 0x3, "H - 1 used");
        consume(100, used, 37, OK, 100, (uint64(1) << 63) | 1, "H - 63, the window's oldest");
        consume(100, (uint64(1) << 63) | 1, 37, REPLAYED, 100, (uint64(1) << 63) | 1, "H - 63 used");
    }

    function test_tooOldBoundary() public pure {
        consume(100, 1, 36, TOO_OLD, 100, 1, "H - 64");
        consume(100, 1, 0, TOO_OLD, 100, 1, "0");
        consume(63, 1, 0, OK, 63, (uint64(1) << 63) | 1, "H = 63: nonce 0 is still inside");
        consume(64, 1, 0, TOO_OLD, 64, 1, "H = 64: nonce 0 is H - 64");
    }

    function test_tooFarAheadBoundary() public pure {
        consume(5, 1, 5 + JUMP, OK, 5 + JUMP, 1, "H + 2^32");
        consume(5, 1, 5 + JUMP + 1, TOO_FAR, 5, 1, "H + 2^32 + 1");
        uint64 top = type(uint64).max;
        consume(top - JUMP, 1, top, OK, top, 1, "2^64 - 1 is valid");
        consume(top, 1, top, REPLAYED, top, 1, "and spent once");
        consume(top, 1, 0, TOO_OLD, top, 1, "everything below the window is too old");
    }

    function test_reachable() public pure {
        assertTrue(ReplayWindow.isReachable(0, 0), "fresh");
        assertFalse(ReplayWindow.isReachable(5, 0), "nothing used but H");
        assertFalse(ReplayWindow.isReachable(5, 0x2), "H's bit clear");
        assertTrue(ReplayWindow.isReachable(2, 0x7), "0, 1, 2 used");
        assertFalse(ReplayWindow.isReachable(2, 0xf), "a bit for nonce -1");
        assertTrue(ReplayWindow.isReachable(63, type(uint64).max), "0..63 used");
        assertFalse(ReplayWindow.isReachable(62, type(uint64).max), "a bit for nonce -1 at H = 62");
        assertTrue(ReplayWindow.isReachable(type(uint64).max, type(uint64).max), "the top");
    }

    function testFuzz_consumedIsReachableAndReplayed(uint64 h, uint64 used, uint64 nonce) public pure {
        vm.assume(ReplayWindow.isReachable(h, used));
        (uint8 r, uint64 nh, uint64 nu) = ReplayWindow.tryConsume(h, used, nonce);
        if (r != OK) return;
        assertTrue(ReplayWindow.isReachable(nh, nu), "reachable after");
        assertEq(ReplayWindow.check(nh, nu, nonce), REPLAYED, "a nonce is spent once");
    }
}
