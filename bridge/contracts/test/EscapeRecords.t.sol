// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Test} from "./lib/Test.sol";
import {Records} from "./lib/Records.sol";
import {EscapeRecords} from "../src/EscapeRecords.sol";

contract RecordsHarness {
    function freeBalance(bytes calldata r) external pure returns (int64) {
        return EscapeRecords.freeBalance(r);
    }

    function position(bytes calldata r) external pure returns (int64, int64) {
        return EscapeRecords.position(r);
    }

    function market(bytes calldata r) external pure returns (int64, uint64) {
        return EscapeRecords.markPriceAndSizeScale(r);
    }
}

contract EscapeRecordsTest is Test {
    RecordsHarness internal h;

    function setUp() public {
        h = new RecordsHarness();
    }

    function testFuzz_account(int64 free, uint64 nonce, uint64 bitmap) public view {
        assertEq(h.freeBalance(Records.account(free, nonce, bitmap)), free, "free balance");
    }

    function testFuzz_position(int64 size, int64 collateral) public view {
        (int64 s, int64 c) = h.position(Records.position(size, collateral));
        assertEq(s, size, "size");
        assertEq(c, collateral, "collateral");
    }

    function testFuzz_marketWithAnySymbolLength(int64 mark, uint64 scale, uint8 symbolLength, uint8 signers) public view {
        bytes memory symbol = new bytes(bound(symbolLength, 1, 16));
        for (uint256 i = 0; i < symbol.length; i++) {
            symbol[i] = bytes1(uint8(0x41 + i));
        }
        (int64 m, uint64 s) = h.market(Records.market(mark, string(symbol), scale, uint8(bound(signers, 0, 4))));
        assertEq(m, mark, "mark price");
        assertEq(s, scale, "size scale");
    }

    function test_wrongLengthsAreRefused() public {
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadAccountRecord.selector, 23));
        h.freeBalance(new bytes(23));
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadAccountRecord.selector, 32));
        h.freeBalance(new bytes(32));
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadPositionRecord.selector, 15));
        h.position(new bytes(15));
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadMarketRecord.selector, 65));
        h.market(new bytes(65));
    }

    function test_marketCutBeforeItsSizeScaleIsRefused() public {
        bytes memory full = Records.market(7, "BTC-PERP", 1e8, 0);
        // halt..mark etc (65) + length byte + 8 symbol bytes + tick + lot + scale = 98 bytes are read.
        bytes memory cut = new bytes(97);
        for (uint256 i = 0; i < cut.length; i++) {
            cut[i] = full[i];
        }
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadMarketRecord.selector, 97));
        h.market(cut);
        bytes memory enough = new bytes(98);
        for (uint256 i = 0; i < enough.length; i++) {
            enough[i] = full[i];
        }
        (, uint64 scale) = h.market(enough);
        assertEq(scale, 1e8, "size scale at the end of the read part");
    }
}
