// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Transaction} from "../TransactionDecoder.sol";
import {TxStatus} from "../TxStatus.sol";
import {MarginMath} from "./MarginMath.sol";
import {Market, MarketRecord} from "./MarketRecord.sol";
import {MarketRules} from "./MarketRules.sol";
import {MarketPending, SweepWork} from "./MarketPending.sol";
import {MarketStatus} from "./MarketStatus.sol";
import {MarketStepErrors as E} from "./MarketStepErrors.sol";
import {BookEntry, MarketStepRun, PositionAt, Run} from "./MarketStepRun.sol";
import {MarketWitness} from "./MarketStepTypes.sol";
import {ListedOrder, Position, PositionLeaf} from "./PositionLeaf.sol";

/// @notice Placing an order (C# MarketOrderSteps): the admission checks in the engine's order, the book's checks,
/// then the sweep of the opposite side, up to F fills and self-trade cancels a step, and the remainder resting.
library MarketOrderSteps {
    uint8 private constant LIMIT = 0;
    uint8 private constant MARKET = 1;
    uint8 private constant GTC = 0;
    uint8 private constant FOK = 2;
    uint8 private constant POST_ONLY = 3;
    uint256 private constant ORDER_ID_TX_BITS = 20;
    uint256 private constant MAX_ORDER_SLOTS = 1 << 19;

    /// Places `t`, routed with its first order `slot` in the block.
    function place(Run memory r, MarketWitness calldata w, Transaction memory t, uint64 sequence, uint32 txIndex, uint32 slot)
        internal
        pure
        returns (uint8)
    {
        // The engine's order: the slot before the order's terms.
        if (slot >= MAX_ORDER_SLOTS) return MarketStatus.TOO_MANY_ORDERS_IN_BLOCK;
        (uint8 status, PositionAt memory taker, int256 price, int256 size) = _admit(r, w, t);
        if (status != TxStatus.ACCEPTED) return status;
        uint64 orderId = uint64((uint256(r.s.block) << ORDER_ID_TX_BITS) | slot);
        if (t.timeInForce == POST_ONLY) {
            (bool found, BookEntry memory top) = MarketStepRun.best(r, w, !t.isBuy);
            if (found && crosses(t.isBuy, price, top.price)) return MarketStatus.POST_ONLY_WOULD_CROSS;
        }
        // 0 unknown, 1 fillable, 2 not: asked at most once.
        uint8 fillable;
        if (t.timeInForce == FOK) {
            fillable = _fillableFromOthers(r, w, taker, t.isBuy, price, size) ? 1 : 2;
            if (fillable == 2) return MarketStatus.FOK_NOT_FILLABLE;
        }
        bool canRest = t.orderKind == LIMIT && (t.timeInForce == GTC || t.timeInForce == POST_ONLY);
        if (canRest && !_hasRoom(r, w, t.isBuy, price)) {
            if (t.timeInForce == POST_ONLY) return MarketStatus.BOOK_FULL;
            if (fillable == 0) fillable = _fillableFromOthers(r, w, taker, t.isBuy, price, size) ? 1 : 2;
            if (fillable == 2) return MarketStatus.BOOK_FULL;
        }
        SweepWork memory work =
            SweepWork(sequence, txIndex, t.account, t.isBuy, price, size, size, orderId, t.clientOrderId, canRest, t.reduceOnly, "");
        return sweep(r, w, work, taker);
    }

    /// Takes the best opposite orders while they cross, up to F; then rests what is left, or leaves it pending.
    function sweep(Run memory r, MarketWitness calldata w, SweepWork memory work, PositionAt memory taker) internal pure returns (uint8) {
        (bool done, int256 remaining) = sweepBook(r, w, taker, work.isBuy, work.price, work.remaining);
        if (!done) {
            MarketStepRun.writePosition(r, w, taker);
            work.remaining = remaining;
            r.pending = MarketPending.encodeSweep(work);
            return MarketStatus.UNDECIDED;
        }
        if (work.canRest && remaining > 0) {
            MarketStepRun.insertOrder(r, w, BookEntry(work.isBuy, work.price, work.orderId, work.account, work.reduceOnly, remaining));
            PositionLeaf.insertOrder(
                taker.leaf, ListedOrder(work.orderId, work.isBuy, work.price, remaining, work.clientOrderId, work.reduceOnly)
            );
        }
        MarketStepRun.writePosition(r, w, taker);
        r.pending = MarketPending.afterSweep(work.tail);
        return TxStatus.ACCEPTED;
    }

    /// Up to F book operations of a taker at `limit`: each takes the best opposite order if it crosses, a fill, or a
    /// self-trade cancel if it is the taker's own. `done` when nothing is left to take or nothing crosses; false
    /// when F ran out first. The taker's position is changed, not written.
    function sweepBook(Run memory r, MarketWitness calldata w, PositionAt memory taker, bool isBuy, int256 limit, int256 remaining)
        internal
        pure
        returns (bool, int256)
    {
        for (uint256 ops = 0; remaining != 0; ops++) {
            if (ops == r.ctx.bookOpsPerStep) return (false, remaining);
            (bool found, BookEntry memory top) = MarketStepRun.best(r, w, !isBuy);
            if (!found || !crosses(isBuy, limit, top.price)) return (true, remaining);
            if (top.account == taker.account) {
                _selfTradeCancel(r, w, taker, top);
                continue;
            }
            remaining -= _fill(r, w, isBuy, taker, top, remaining);
        }
        return (true, 0);
    }

    function crosses(bool takerIsBuy, int256 limit, int256 makerPrice) internal pure returns (bool) {
        return takerIsBuy ? makerPrice <= limit : makerPrice >= limit;
    }

    function _selfTradeCancel(Run memory r, MarketWitness calldata w, PositionAt memory taker, BookEntry memory own) private pure {
        uint256 index = PositionLeaf.indexOfOrder(taker.leaf, own.orderId);
        if (index == type(uint256).max) revert E.OrderNotListed(own.orderId);
        MarketStepRun.removeOrder(r, w, own);
        PositionLeaf.removeOrderAt(taker.leaf, index);
    }

    /// One fill at the maker's price: sizes, cash, fees and funding of both sides, the maker's order and position.
    function _fill(Run memory r, MarketWitness calldata w, bool takerIsBuy, PositionAt memory taker, BookEntry memory top, int256 remaining)
        private
        pure
        returns (int256 traded)
    {
        PositionAt memory maker = MarketStepRun.readPosition(r, w, top.account);
        uint256 index = PositionLeaf.indexOfOrder(maker.leaf, top.orderId);
        if (index == type(uint256).max) revert E.OrderNotListed(top.orderId);
        MarketStepRun.settleFunding(r, maker.leaf);
        MarketStepRun.settleFunding(r, taker.leaf);
        traded = remaining < top.size ? remaining : top.size;
        Market memory m = r.m;
        int256 notional = MarginMath.notional(top.price, traded, m.params.sizeScale);
        int256 signed = takerIsBuy ? traded : -traded;
        int256 cash = takerIsBuy ? notional : -notional;
        int256 takerFee = MarginMath.fractionUp(notional, m.params.takerFeePpm);
        int256 makerFee = MarginMath.fractionUp(notional, m.params.makerFeePpm);
        taker.leaf.size += signed;
        taker.leaf.collateral -= cash + takerFee;
        maker.leaf.size -= signed;
        maker.leaf.collateral += cash - makerFee;
        m.feePool += takerFee + makerFee;
        if (traded == top.size) {
            MarketStepRun.removeOrder(r, w, top);
            PositionLeaf.removeOrderAt(maker.leaf, index);
        } else {
            MarketStepRun.reduceOrder(r, w, top, top.size - traded);
            maker.leaf.orders[index].size -= traded;
        }
        MarketStepRun.writePosition(r, w, maker);
    }

    /// The engine's admission of an order, check by check in the same order (Market.AdmitOrder).
    function _admit(Run memory r, MarketWitness calldata w, Transaction memory t)
        private
        pure
        returns (uint8 status, PositionAt memory position, int256 price, int256 size)
    {
        Market memory m = r.m;
        status = _terms(t, m);
        if (status != TxStatus.ACCEPTED) return (status, position, 0, 0);
        price = int256(uint256(t.price));
        size = int256(uint256(t.size));
        position = MarketStepRun.readPosition(r, w, t.account);
        if (!position.existed) return (MarketStatus.INSUFFICIENT_MARGIN, position, price, size);
        Position memory leaf = position.leaf;
        bool mayRest = t.orderKind == LIMIT && (t.timeInForce == GTC || t.timeInForce == POST_ONLY);
        if (mayRest && leaf.orders.length >= m.params.maxOpenOrdersPerAccount) {
            return (MarketStatus.TOO_MANY_OPEN_ORDERS, position, price, size);
        }
        if (PositionLeaf.indexOfClientOrder(leaf, t.clientOrderId) != type(uint256).max) {
            return (MarketStatus.DUPLICATE_CLIENT_ORDER_ID, position, price, size);
        }
        if (t.reduceOnly) {
            int256 reducible = t.isBuy ? -leaf.size : leaf.size;
            if (reducible <= 0) return (MarketStatus.REDUCE_ONLY_WOULD_INCREASE, position, price, size);
            if (reducible < size) size = reducible;
            return (TxStatus.ACCEPTED, position, price, size);
        }
        int256 requirement = MarketStepRun.initialRequirement(r, leaf, m.markPrice, price * size);
        uint32 feePpm = m.params.takerFeePpm > m.params.makerFeePpm ? m.params.takerFeePpm : m.params.makerFeePpm;
        int256 fee = MarginMath.fractionUp(MarginMath.notional(price, size, m.params.sizeScale), feePpm);
        status = MarketStepRun.equityAt(r, leaf, m.markPrice) - fee >= requirement ? TxStatus.ACCEPTED : MarketStatus.INSUFFICIENT_MARGIN;
    }

    /// The checks that read no position (C# MarketRules.OrderTerms), in the engine's order.
    function _terms(Transaction memory t, Market memory m) private pure returns (uint8) {
        if (m.haltReason != MarketRecord.HALT_NONE) {
            return m.haltReason == MarketRecord.HALT_OPERATOR_PAUSE ? MarketStatus.MARKET_PAUSED : MarketStatus.MARKET_HALTED;
        }
        uint64 maxI64 = uint64(type(int64).max);
        if (
            t.price == 0 || t.size == 0 || t.price > maxI64 || t.size > maxI64 || t.orderKind > MARKET || t.timeInForce > POST_ONLY
                || (t.orderKind == MARKET && t.timeInForce == POST_ONLY)
        ) return MarketStatus.INVALID_ORDER;
        if (t.price % m.params.tickSize != 0) return MarketStatus.TICK_VIOLATION;
        if (t.size % m.params.lotSize != 0) return MarketStatus.LOT_VIOLATION;
        if (m.oraclePrice == 0) return MarketStatus.NO_ORACLE_PRICE;
        int256 price = int256(uint256(t.price));
        if (!MarketRules.withinBand(price, m.oraclePrice, m.params.priceBandPpm)) return MarketStatus.PRICE_OUT_OF_BAND;
        return MarginMath.fitsNotional(price, int256(uint256(t.size)), m.params.sizeScale) ? TxStatus.ACCEPTED : TxStatus.OVERFLOW;
    }

    /// Whether the opposite side holds enough at prices the order accepts from accounts other than the taker's.
    function _fillableFromOthers(Run memory r, MarketWitness calldata w, PositionAt memory taker, bool isBuy, int256 limit, int256 size)
        private
        pure
        returns (bool)
    {
        uint256 crossing = MarketStepRun.sizeCrossing(r, w, isBuy, limit);
        uint256 own;
        ListedOrder[] memory orders = taker.leaf.orders;
        for (uint256 i = 0; i < orders.length; i++) {
            if (orders[i].isBuy != isBuy && crosses(isBuy, limit, orders[i].price)) own += uint256(orders[i].size);
        }
        return crossing - own >= uint256(size);
    }

    /// Room for one more resting order: under the book's order limit, and at a price with a level or under the
    /// level limit.
    function _hasRoom(Run memory r, MarketWitness calldata w, bool isBuy, int256 price) private pure returns (bool) {
        Market memory m = r.m;
        if (MarketStepRun.bookOrderCount(r) >= m.params.maxBookOrders) return false;
        return MarketRecord.levels(m, isBuy) < m.params.maxBookLevels || MarketStepRun.ordersAtPrice(r, w, isBuy, price) > 0;
    }
}
