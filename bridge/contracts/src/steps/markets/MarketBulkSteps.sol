// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {AccountsStepKeys as Keys} from "../AccountsStepKeys.sol";
import {Bulk, BulkDecoder, BulkItem} from "../BulkDecoder.sol";
import {Transaction, TxKind} from "../TransactionDecoder.sol";
import {TxStatus} from "../TxStatus.sol";
import {MarketCancelSteps} from "./MarketCancelSteps.sol";
import {MarketOrderSteps} from "./MarketOrderSteps.sol";
import {BulkWork, MarketPending} from "./MarketPending.sol";
import {MarketStatus} from "./MarketStatus.sol";
import {MarketStepErrors as E} from "./MarketStepErrors.sol";
import {MarketStepRun, Run} from "./MarketStepRun.sol";
import {MarketWitness} from "./MarketStepTypes.sol";

/// @notice A bulk in its market (C# MarketBulkSteps; docs/steps.md, "Bulks"): the Message step checks the slots and
/// leaves the first item pending; each Continue step runs one item, or one half of a cancel-replace, and folds each
/// item's status as a receipt of the bulk's sequence. The bulk prover runs the cancel halves, the order prover the
/// place halves; each uses only its own function here.
library MarketBulkSteps {
    uint256 private constant MAX_ORDER_SLOTS = 1 << 19;

    /// The Message step: TooManyOrdersInBlock for the whole bulk, or its first item pending.
    function open(Run memory r, Bulk memory b, uint64 sequence, uint32 txIndex, uint32 slot) internal pure returns (uint8) {
        uint256 count = b.items.length;
        if (uint256(slot) > MAX_ORDER_SLOTS - count) return MarketStatus.TOO_MANY_ORDERS_IN_BLOCK;
        r.pending = MarketPending.encodeBulk(BulkWork(sequence, txIndex, slot, uint8(count), 0, _halfOf(b.items[0])));
        return MarketStatus.UNDECIDED;
    }

    /// Item `next`'s cancel: a cancel, a cancel by client id, or a cancel-replace's cancel (then its place is pending
    /// if it cancelled).
    function continueCancel(Run memory r, MarketWitness calldata w, BulkWork memory work) internal pure {
        Bulk memory b = _readBulk(r, w, work);
        BulkItem memory it = b.items[work.next];
        if (it.action == BulkDecoder.PLACE) revert E.BadPending();
        Transaction memory t;
        t.kind = it.action == BulkDecoder.CANCEL_BY_CLIENT_ID ? TxKind.CANCEL_ORDER_BY_CLIENT_ID : TxKind.CANCEL_ORDER;
        (t.account, t.market, t.orderId, t.clientOrderId) = (b.account, b.market, it.orderId, it.clientOrderId);
        uint8 status = MarketCancelSteps.cancel(r, w, t);
        if (it.action == BulkDecoder.CANCEL_REPLACE && status == TxStatus.ACCEPTED) {
            work.half = MarketPending.HALF_PLACE;
            r.pending = MarketPending.encodeBulk(work);
            return;
        }
        _finish(r, work, b, status);
    }

    /// Item `next`'s place, at slot first + next: a place, or a cancel-replace's place. A sweep it leaves carries
    /// the bulk's work after it as its tail.
    function continuePlace(Run memory r, MarketWitness calldata w, BulkWork memory work) internal pure {
        Bulk memory b = _readBulk(r, w, work);
        BulkItem memory it = b.items[work.next];
        if (!BulkDecoder.places(it)) revert E.BadPending();
        Transaction memory t;
        (t.kind, t.account, t.market, t.isBuy, t.price, t.size) = (TxKind.PLACE_ORDER, b.account, b.market, it.isBuy, it.price, it.size);
        (t.orderKind, t.timeInForce, t.reduceOnly, t.clientOrderId) = (it.orderKind, it.timeInForce, it.reduceOnly, it.clientOrderId);
        uint8 status = MarketOrderSteps.place(r, w, t, work.sequence, work.txIndex, work.slot + work.next);
        if (status == MarketStatus.UNDECIDED) {
            r.pending = bytes.concat(r.pending, MarketPending.encodeBulk(_after(work, b)));
            return;
        }
        _finish(r, work, b, status);
    }

    function _finish(Run memory r, BulkWork memory work, Bulk memory b, uint8 status) private pure {
        MarketStepRun.decide(r, work.sequence, status);
        BulkWork memory next = _after(work, b);
        r.pending = next.next == next.count ? bytes("") : MarketPending.encodeBulk(next);
    }

    /// The work after item `next`: the following item's first half, or none left.
    function _after(BulkWork memory work, Bulk memory b) private pure returns (BulkWork memory a) {
        a = BulkWork(work.sequence, work.txIndex, work.slot, work.count, work.next + 1, MarketPending.HALF_NONE);
        if (a.next < a.count) a.half = _halfOf(b.items[a.next]);
    }

    function _halfOf(BulkItem memory it) private pure returns (uint8) {
        return it.action == BulkDecoder.PLACE ? MarketPending.HALF_PLACE : MarketPending.HALF_CANCEL;
    }

    /// The bulk at the work's sequence, proven in the batch's transactions, for this market (which exists) and of the
    /// work's length.
    function _readBulk(Run memory r, MarketWitness calldata w, BulkWork memory work) private pure returns (Bulk memory b) {
        if (!r.marketExists) revert E.MarketMissing(r.s.market);
        if (work.next >= work.count) revert E.BadPending();
        bytes calldata record = w.inputs[MarketStepRun.readInput(r, w, r.ctx.txRoot, Keys.ofU64(work.sequence))].record;
        if (!BulkDecoder.isBulk(record)) revert E.NotThisMarketsTransaction(work.sequence);
        (b,) = BulkDecoder.decodeItems(record);
        if (b.market != r.s.market || b.items.length != work.count) revert E.NotThisMarketsTransaction(work.sequence);
    }
}
