// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {CalldataReader as R} from "./CalldataReader.sol";
import {MarketStepErrors} from "./MarketStepErrors.sol";
import {BytesWriter} from "./BytesWriter.sol";

/// @notice One resting order as a position leaf lists it.
struct ListedOrder {
    uint64 orderId;
    bool isBuy;
    int256 price;
    int256 size;
    uint64 clientOrderId;
    bool reduceOnly;
}

/// @notice A position leaf as a step works on it (C# PositionLeaf): size i64 ‖ collateral i64 ‖ settled funding
/// index i64 ‖ order count u16 ‖ orders (orderId u64 ‖ isBuy u8 ‖ price i64 ‖ size i64 ‖ clientOrderId u64 ‖
/// reduceOnly u8) in id order. No size, collateral or orders: no leaf.
struct Position {
    int256 size;
    int256 collateral;
    int256 settledFundingIndex;
    ListedOrder[] orders;
}

library PositionLeaf {
    uint256 internal constant HEADER_LENGTH = 26;
    uint256 internal constant ORDER_LENGTH = 34;

    function decode(bytes calldata r) internal pure returns (Position memory p) {
        if (r.length == 0) return p;
        if (r.length < HEADER_LENGTH) revert MarketStepErrors.BadPositionLeaf();
        p.size = R.i64(r, 0);
        p.collateral = R.i64(r, 8);
        p.settledFundingIndex = R.i64(r, 16);
        uint256 count = R.u(r, 24, 2);
        if (r.length != HEADER_LENGTH + count * ORDER_LENGTH) revert MarketStepErrors.BadPositionLeaf();
        p.orders = new ListedOrder[](count);
        uint256 cursor = HEADER_LENGTH;
        for (uint256 i = 0; i < count; i++) {
            ListedOrder memory o = p.orders[i];
            o.orderId = uint64(R.u(r, cursor, 8));
            o.isBuy = R.u(r, cursor + 8, 1) != 0;
            o.price = R.i64(r, cursor + 9);
            o.size = R.i64(r, cursor + 17);
            o.clientOrderId = uint64(R.u(r, cursor + 25, 8));
            o.reduceOnly = R.u(r, cursor + 33, 1) != 0;
            if (i > 0 && o.orderId <= p.orders[i - 1].orderId) revert MarketStepErrors.BadPositionLeaf();
            cursor += ORDER_LENGTH;
        }
    }

    /// The leaf's record; a position with no size stores a settled index of 0.
    function encode(Position memory p) internal pure returns (bytes memory out) {
        uint256 count = p.orders.length;
        out = new bytes(HEADER_LENGTH + count * ORDER_LENGTH);
        BytesWriter.put(out, 0, uint64(int64(p.size)), 8);
        BytesWriter.put(out, 8, uint64(int64(p.collateral)), 8);
        BytesWriter.put(out, 16, p.size == 0 ? 0 : uint64(int64(p.settledFundingIndex)), 8);
        BytesWriter.put(out, 24, count, 2);
        uint256 cursor = HEADER_LENGTH;
        for (uint256 i = 0; i < count; i++) {
            ListedOrder memory o = p.orders[i];
            BytesWriter.put(out, cursor, o.orderId, 8);
            BytesWriter.put(out, cursor + 8, o.isBuy ? 1 : 0, 1);
            BytesWriter.put(out, cursor + 9, uint64(int64(o.price)), 8);
            BytesWriter.put(out, cursor + 17, uint64(int64(o.size)), 8);
            BytesWriter.put(out, cursor + 25, o.clientOrderId, 8);
            BytesWriter.put(out, cursor + 33, o.reduceOnly ? 1 : 0, 1);
            cursor += ORDER_LENGTH;
        }
    }

    function isEmpty(Position memory p) internal pure returns (bool) {
        return p.size == 0 && p.collateral == 0 && p.orders.length == 0;
    }

    /// Σ price·size of the resting orders, not divided by the size scale.
    function openOrderValue(Position memory p) internal pure returns (int256 value) {
        for (uint256 i = 0; i < p.orders.length; i++) {
            value += p.orders[i].price * p.orders[i].size;
        }
    }

    /// The index of order `orderId`, or type(uint256).max.
    function indexOfOrder(Position memory p, uint64 orderId) internal pure returns (uint256) {
        for (uint256 i = 0; i < p.orders.length; i++) {
            if (p.orders[i].orderId == orderId) return i;
        }
        return type(uint256).max;
    }

    /// The index of the order with client id `clientOrderId` (never 0), or type(uint256).max.
    function indexOfClientOrder(Position memory p, uint64 clientOrderId) internal pure returns (uint256) {
        if (clientOrderId == 0) return type(uint256).max;
        for (uint256 i = 0; i < p.orders.length; i++) {
            if (p.orders[i].clientOrderId == clientOrderId) return i;
        }
        return type(uint256).max;
    }

    function removeOrderAt(Position memory p, uint256 index) internal pure {
        ListedOrder[] memory orders = p.orders;
        for (uint256 i = index; i + 1 < orders.length; i++) {
            orders[i] = orders[i + 1];
        }
        // Shrinks the array in place: its length word is the first of its memory.
        assembly ("memory-safe") {
            mstore(orders, sub(mload(orders), 1))
        }
    }

    /// Lists `order` cursor its place in id order.
    function insertOrder(Position memory p, ListedOrder memory order) internal pure {
        uint256 count = p.orders.length;
        ListedOrder[] memory orders = new ListedOrder[](count + 1);
        uint256 cursor = count;
        while (cursor > 0 && p.orders[cursor - 1].orderId > order.orderId) cursor--;
        for (uint256 i = 0; i < cursor; i++) orders[i] = p.orders[i];
        orders[cursor] = order;
        for (uint256 i = cursor; i < count; i++) orders[i + 1] = p.orders[i];
        p.orders = orders;
    }
}
