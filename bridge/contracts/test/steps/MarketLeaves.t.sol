// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {MarketLeaves} from "../../src/steps/markets/MarketLeaves.sol";
import {ListedOrder, Position, PositionLeaf} from "../../src/steps/markets/PositionLeaf.sol";
import {MarketStepErrors} from "../../src/steps/markets/MarketStepErrors.sol";

/// The market's keys and leaf records byte by byte, as docs/steps.md ("Its leaves") lays them out.
contract MarketLeavesTest is StepsTest {
    function test_bookKey_asksByPriceBidsByInversePrice() public pure {
        assertEq(MarketLeaves.bookKey(false, 5, 7), bytes32(hex"00000000000000050000000000000007"), "ask");
        assertEq(MarketLeaves.bookKey(true, 5, 7), bytes32(hex"fffffffffffffffa0000000000000007"), "bid");
        assertEq(MarketLeaves.bookPrice(true, MarketLeaves.bookKey(true, 5, 7)), 5, "bid price back");
        assertEq(uint256(MarketLeaves.bookOrderId(MarketLeaves.bookKey(false, 5, 7))), 7, "order id back");
    }

    function test_riskLeafKey_offsetKThenAddress() public pure {
        address a = address(0x00000000000000000000000000000000000000AA);
        assertEq(MarketLeaves.riskLeafKey(0, a), bytes32((uint256(1) << 255) | 0xAA), "K = 0");
        assertEq(MarketLeaves.riskLeafK(MarketLeaves.riskLeafKey(-5, a)), -5, "K back");
        assertEq(MarketLeaves.riskLeafAccount(MarketLeaves.riskLeafKey(-5, a)), a, "account back");
    }

    function test_positionLeaf_header() public pure {
        Position memory p;
        (p.size, p.collateral, p.settledFundingIndex) = (1, 2, 3);
        assertEq(keccak256(PositionLeaf.encode(p)), keccak256(hex"000000000000000100000000000000020000000000000003" hex"0000"), "header");
        p.size = 0;
        assertEq(keccak256(PositionLeaf.encode(p)), keccak256(hex"000000000000000000000000000000020000000000000000" hex"0000"), "no size: index 0");
    }

    function test_positionLeaf_orderRoundTrip() public view {
        Position memory p;
        p.size = -4;
        p.orders = new ListedOrder[](1);
        p.orders[0] = ListedOrder(9, true, 100, 2, 11, false);
        bytes memory record = PositionLeaf.encode(p);
        assertEq(record.length, 60, "26 + 34");
        assertEq(uint8(record[34]), 1, "isBuy");
        Position memory back = this.decode(record);
        assertEq(back.size, -4, "size");
        assertEq(uint256(back.orders[0].orderId), 9, "id");
        assertEq(back.orders[0].price, 100, "price");
        ListedOrder memory later = ListedOrder(12, false, 101, 1, 0, true);
        ListedOrder memory earlier = ListedOrder(3, false, 101, 1, 0, true);
        PositionLeaf.insertOrder(back, later);
        PositionLeaf.insertOrder(back, earlier);
        assertEq(uint256(back.orders[0].orderId), 3, "id order 0");
        assertEq(uint256(back.orders[2].orderId), 12, "id order 2");
        PositionLeaf.removeOrderAt(back, 1);
        assertEq(back.orders.length, 2, "removed");
        assertEq(uint256(back.orders[1].orderId), 12, "shifted");
    }

    function test_positionLeaf_refusesBadLengthAndOrder() public {
        vm.expectRevert(MarketStepErrors.BadPositionLeaf.selector);
        this.decode(hex"0000000000000001000000000000000200000000000000030001");
        Position memory p;
        p.orders = new ListedOrder[](2);
        p.orders[0] = ListedOrder(9, true, 100, 2, 0, false);
        p.orders[1] = ListedOrder(9, true, 100, 2, 0, false);
        bytes memory record = PositionLeaf.encode(p);
        vm.expectRevert(MarketStepErrors.BadPositionLeaf.selector);
        this.decode(record);
    }

    function decode(bytes calldata record) external pure returns (Position memory) {
        return PositionLeaf.decode(record);
    }
}
