// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Test} from "./lib/Test.sol";
import {Records} from "./lib/Records.sol";
import {EscapeRecords} from "../src/EscapeRecords.sol";

contract RecordsHarness {
    function freeBalance(bytes calldata r) external pure returns (int64) {
        return EscapeRecords.freeBalance(r);
    }

    function position(bytes calldata r) external pure returns (int64, int64, int64) {
        return EscapeRecords.position(r);
    }

    function fundingIndex(bytes calldata r) external pure returns (int64) {
        return EscapeRecords.fundingIndex(r);
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

    /// A record holding credits (docs/state.md, "Held credits"): the held amounts are part of the free balance read.
    function testFuzz_accountHoldingCredits(int64 free, uint8 count) public view {
        uint256 k = 1 + uint256(count) % 8;
        bytes memory record = abi.encodePacked(Records.account(free, 3, 7), uint8(k));
        for (uint256 i = 0; i < k; i++) {
            record = abi.encodePacked(record, uint32(i + 1), uint64(9), int64(1));
        }
        assertEq(h.freeBalance(record), free, "free balance");
    }

    function test_aHeldListOfAnotherLengthIsRefused() public {
        // A count of 2 with one credit, and a count of 9.
        bytes memory short_ = abi.encodePacked(Records.account(1, 0, 1), uint8(2), uint32(1), uint64(1), int64(1));
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadAccountRecord.selector, short_.length));
        h.freeBalance(short_);
        bytes memory nine = abi.encodePacked(Records.account(1, 0, 1), uint8(9));
        for (uint256 i = 0; i < 9; i++) {
            nine = abi.encodePacked(nine, uint32(i + 1), uint64(1), int64(1));
        }
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadAccountRecord.selector, nine.length));
        h.freeBalance(nine);
    }

    function testFuzz_position(int64 size, int64 collateral) public view {
        (int64 s, int64 c, int64 i) = h.position(Records.position(size, collateral));
        assertEq(s, size, "size");
        assertEq(c, collateral, "collateral");
        assertEq(i, 0, "a short record settled at index 0");
    }

    function testFuzz_positionWithItsSettledIndex(int64 size, int64 collateral, int64 index) public view {
        (int64 s, int64 c, int64 i) = h.position(Records.position(size, collateral, index));
        assertEq(s, size, "size");
        assertEq(c, collateral, "collateral");
        assertEq(i, index, "settled funding index");
    }

    function testFuzz_fundingIndexAtTheRecordsEnd(uint8 symbolLength, uint8 signers, int64 index) public view {
        bytes memory symbol = new bytes(bound(symbolLength, 1, 16));
        for (uint256 i = 0; i < symbol.length; i++) {
            symbol[i] = bytes1(uint8(0x41 + i));
        }
        uint8 count = uint8(bound(signers, 0, 4));
        assertEq(h.fundingIndex(Records.market(1, string(symbol), 1e8, count)), 0, "no funding fields: index 0");
        assertEq(h.fundingIndex(Records.marketWithFunding(1, string(symbol), 1e8, count, index)), index, "index");
    }

    function test_fundingFieldsCutOrPaddedAreRefused() public {
        bytes memory full = Records.marketWithFunding(7, "BTC-PERP", 1e8, 1, 5);
        bytes memory cut = new bytes(full.length - 1);
        for (uint256 i = 0; i < cut.length; i++) {
            cut[i] = full[i];
        }
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadMarketRecord.selector, cut.length));
        h.fundingIndex(cut);
        bytes memory padded = abi.encodePacked(Records.market(7, "BTC-PERP", 1e8, 1), uint8(0));
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadMarketRecord.selector, padded.length));
        h.fundingIndex(padded);
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
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadPositionRecord.selector, 20));
        h.position(new bytes(20));
        vm.expectRevert(abi.encodeWithSelector(EscapeRecords.BadPositionRecord.selector, 32));
        h.position(new bytes(32));
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
