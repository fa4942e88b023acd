// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {BytesWriter as W} from "./BytesWriter.sol";
import {CalldataReader as R} from "./CalldataReader.sol";
import {MarketStepErrors} from "./MarketStepErrors.sol";

/// @notice An order sweeping the book across steps: kind 1 ‖ sequence u64 ‖ txIndex u32 ‖ account ‖ isBuy u8 ‖
/// price i64 ‖ size i64 ‖ remaining i64 ‖ orderId u64 ‖ clientOrderId u64 ‖ canRest u8 ‖ reduceOnly u8, then for a
/// bulk's item the bulk's work after it (`tail`, a BulkWork's 20 bytes), pending once the sweep ends.
struct SweepWork {
    uint64 sequence;
    uint32 txIndex;
    address account;
    bool isBuy;
    int256 price;
    int256 size;
    int256 remaining;
    uint64 orderId;
    uint64 clientOrderId;
    bool canRest;
    bool reduceOnly;
    bytes tail;
}

/// @notice A bulk's items across steps: kind 4 ‖ sequence u64 ‖ txIndex u32 ‖ slot u32 (the bulk's first) ‖
/// count u8 ‖ next u8 ‖ half u8 (item `next`'s cancel 1 or place 2; 0 once next = count, only in a sweep's tail).
struct BulkWork {
    uint64 sequence;
    uint32 txIndex;
    uint32 slot;
    uint8 count;
    uint8 next;
    uint8 half;
}

/// @notice A cancel-all across steps: kind 2 ‖ sequence u64 ‖ txIndex u32 ‖ account.
struct CancelAllWork {
    uint64 sequence;
    uint32 txIndex;
    address account;
}

/// @notice A liquidation across steps: kind 3 ‖ account ‖ stage u8 ‖ isLong u8 ‖ size i64 ‖ bankruptcy i64 ‖
/// limit i64 ‖ filled i64 ‖ remaining i64.
struct LiquidationWork {
    address account;
    uint8 stage;
    bool isLong;
    int256 size;
    int256 bankruptcy;
    int256 limit;
    int256 filled;
    int256 remaining;
}

/// @notice Work a step left for the next (C# MarketPending), told apart by its first byte and its length.
library MarketPending {
    uint8 internal constant SWEEP = 1;
    uint8 internal constant CANCEL_ALL = 2;
    uint8 internal constant LIQUIDATION = 3;
    uint8 internal constant BULK = 4;

    uint8 internal constant HALF_NONE = 0;
    uint8 internal constant HALF_CANCEL = 1;
    uint8 internal constant HALF_PLACE = 2;

    uint8 internal constant STAGE_CANCEL = 1;
    uint8 internal constant STAGE_SWEEP = 2;
    uint8 internal constant STAGE_TAKEOVER = 3;
    uint8 internal constant STAGE_DELEVERAGE = 4;
    uint8 internal constant STAGE_FINISH = 5;

    uint256 internal constant SWEEP_LENGTH = 76;
    uint256 internal constant CANCEL_ALL_LENGTH = 33;
    uint256 internal constant LIQUIDATION_LENGTH = 63;
    uint256 internal constant BULK_LENGTH = 20;
    uint256 private constant MAX_BULK_ITEMS = 64;

    function kindOf(bytes calldata p) internal pure returns (uint8 kind) {
        if (p.length == 0) revert MarketStepErrors.BadPending();
        kind = uint8(p[0]);
        bool sweepWithTail = p.length == SWEEP_LENGTH + BULK_LENGTH && uint8(p[SWEEP_LENGTH]) == BULK;
        if (
            !(kind == SWEEP && (p.length == SWEEP_LENGTH || sweepWithTail))
                && !(kind == CANCEL_ALL && p.length == CANCEL_ALL_LENGTH)
                && !(kind == LIQUIDATION && p.length == LIQUIDATION_LENGTH) && !(kind == BULK && p.length == BULK_LENGTH)
        ) revert MarketStepErrors.BadPending();
    }

    /// A bulk's work, as C# BulkWork.Decode refuses it: a count of 1 to 64, next at most count, and a half that fits.
    function decodeBulk(bytes memory p) internal pure returns (BulkWork memory w) {
        if (p.length != BULK_LENGTH || uint8(p[0]) != BULK) revert MarketStepErrors.BadPending();
        w.sequence = uint64(bytes8(_word(p, 1)));
        w.txIndex = uint32(bytes4(_word(p, 9)));
        w.slot = uint32(bytes4(_word(p, 13)));
        (w.count, w.next, w.half) = (uint8(p[17]), uint8(p[18]), uint8(p[19]));
        bool halfFits = w.next == w.count ? w.half == HALF_NONE : (w.half == HALF_CANCEL || w.half == HALF_PLACE);
        if (w.count == 0 || w.count > MAX_BULK_ITEMS || w.next > w.count || !halfFits) revert MarketStepErrors.BadPending();
    }

    function encodeBulk(BulkWork memory w) internal pure returns (bytes memory) {
        return abi.encodePacked(BULK, w.sequence, w.txIndex, w.slot, w.count, w.next, w.half);
    }

    /// What is pending once a sweep ends: its tail's bulk work, or nothing (a PlaceOrder's, or a bulk's last item).
    function afterSweep(bytes memory tail) internal pure returns (bytes memory) {
        if (tail.length == 0) return tail;
        BulkWork memory w = decodeBulk(tail);
        return w.next == w.count ? bytes("") : tail;
    }

    function _word(bytes memory p, uint256 offset) private pure returns (bytes32 word) {
        assembly ("memory-safe") {
            word := mload(add(add(p, 0x20), offset))
        }
    }

    function decodeSweep(bytes calldata p) internal pure returns (SweepWork memory w) {
        w.sequence = uint64(R.u(p, 1, 8));
        w.txIndex = uint32(R.u(p, 9, 4));
        w.account = R.addr(p, 13);
        w.isBuy = R.u(p, 33, 1) != 0;
        w.price = R.i64(p, 34);
        w.size = R.i64(p, 42);
        w.remaining = R.i64(p, 50);
        w.orderId = uint64(R.u(p, 58, 8));
        w.clientOrderId = uint64(R.u(p, 66, 8));
        w.canRest = R.u(p, 74, 1) != 0;
        w.reduceOnly = R.u(p, 75, 1) != 0;
        w.tail = p[SWEEP_LENGTH:];
        // The tail is checked on every step, as C# decodes it for the item's index.
        if (w.tail.length > 0) decodeBulk(w.tail);
    }

    function encodeSweep(SweepWork memory w) internal pure returns (bytes memory out) {
        out = new bytes(SWEEP_LENGTH);
        W.put(out, 0, SWEEP, 1);
        W.put(out, 1, w.sequence, 8);
        W.put(out, 9, w.txIndex, 4);
        W.put(out, 13, uint160(w.account), 20);
        W.put(out, 33, w.isBuy ? 1 : 0, 1);
        W.put(out, 34, uint64(int64(w.price)), 8);
        W.put(out, 42, uint64(int64(w.size)), 8);
        W.put(out, 50, uint64(int64(w.remaining)), 8);
        W.put(out, 58, w.orderId, 8);
        W.put(out, 66, w.clientOrderId, 8);
        W.put(out, 74, w.canRest ? 1 : 0, 1);
        W.put(out, 75, w.reduceOnly ? 1 : 0, 1);
        out = bytes.concat(out, w.tail);
    }

    function decodeCancelAll(bytes calldata p) internal pure returns (CancelAllWork memory w) {
        w.sequence = uint64(R.u(p, 1, 8));
        w.txIndex = uint32(R.u(p, 9, 4));
        w.account = R.addr(p, 13);
    }

    function encodeCancelAll(CancelAllWork memory w) internal pure returns (bytes memory out) {
        out = new bytes(CANCEL_ALL_LENGTH);
        W.put(out, 0, CANCEL_ALL, 1);
        W.put(out, 1, w.sequence, 8);
        W.put(out, 9, w.txIndex, 4);
        W.put(out, 13, uint160(w.account), 20);
    }

    function decodeLiquidation(bytes calldata p) internal pure returns (LiquidationWork memory w) {
        w.account = R.addr(p, 1);
        w.stage = uint8(R.u(p, 21, 1));
        if (w.stage < STAGE_CANCEL || w.stage > STAGE_FINISH) revert MarketStepErrors.BadPending();
        w.isLong = R.u(p, 22, 1) != 0;
        w.size = R.i64(p, 23);
        w.bankruptcy = R.i64(p, 31);
        w.limit = R.i64(p, 39);
        w.filled = R.i64(p, 47);
        w.remaining = R.i64(p, 55);
    }

    function encodeLiquidation(LiquidationWork memory w) internal pure returns (bytes memory out) {
        out = new bytes(LIQUIDATION_LENGTH);
        W.put(out, 0, LIQUIDATION, 1);
        W.put(out, 1, uint160(w.account), 20);
        W.put(out, 21, w.stage, 1);
        W.put(out, 22, w.isLong ? 1 : 0, 1);
        W.put(out, 23, uint64(int64(w.size)), 8);
        W.put(out, 31, uint64(int64(w.bankruptcy)), 8);
        W.put(out, 39, uint64(int64(w.limit)), 8);
        W.put(out, 47, uint64(int64(w.filled)), 8);
        W.put(out, 55, uint64(int64(w.remaining)), 8);
    }
}
