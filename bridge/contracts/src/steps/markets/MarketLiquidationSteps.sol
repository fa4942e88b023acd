// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarginMath} from "./MarginMath.sol";
import {Market, MarketRecord} from "./MarketRecord.sol";
import {MarketLeaves} from "./MarketLeaves.sol";
import {MarketOrderSteps} from "./MarketOrderSteps.sol";
import {LiquidationWork, MarketPending} from "./MarketPending.sol";
import {MarketStepErrors as E} from "./MarketStepErrors.sol";
import {MarketStepRun, PositionAt, Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketTree, MarketWitness} from "./MarketStepTypes.sol";
import {ListedOrder, Position, PositionLeaf} from "./PositionLeaf.sol";
import {RiskKey} from "./RiskKey.sol";

/// @notice Liquidations as the engine runs them, one bounded stage a step (C# MarketLiquidationSteps): orders
/// cancelled, funding settled, the close into the book no worse than the bankruptcy price, the fee, the insurance
/// fund's takeover, auto-deleveraging, and the halt if a remainder is left.
library MarketLiquidationSteps {
    /// LiquidationStart if the first long, else the first short, is below its threshold at the mark; else NoneLeft.
    function check(Run memory r, MarketWitness calldata w) internal pure {
        Market memory m = MarketStepRun.market(r);
        if (m.markPrice != 0 && m.haltReason == MarketRecord.HALT_NONE) {
            for (uint256 side = 0; side < 2; side++) {
                bool isLong = side == 0;
                (bool found, uint256 i) = MarketStepRun.readEdge(r, w, isLong ? MarketTree.LONGS : MarketTree.SHORTS, true);
                int256 threshold = RiskKey.threshold(isLong, m.fundingIndex, m.markPrice, m.params.sizeScale, m.params.maintenanceMarginPpm);
                if (found && MarketLeaves.riskLeafK(w.ordered[i].key) < threshold) {
                    PositionAt memory p = _riskLeafOwner(r, w, w.ordered[i].key, isLong);
                    LiquidationWork memory work;
                    (work.account, work.stage, work.isLong) = (p.account, MarketPending.STAGE_CANCEL, isLong);
                    r.pending = MarketPending.encodeLiquidation(work);
                    r.s.liquidatedThisRound = true;
                    return;
                }
            }
        }
        r.s.phase = MarketPhase.MARK_AGAIN;
    }

    /// The pending liquidation's next stage.
    function proceed(Run memory r, MarketWitness calldata w, bytes calldata pending) internal pure {
        if (MarketPending.kindOf(pending) != MarketPending.LIQUIDATION) revert E.PendingNotALiquidation();
        LiquidationWork memory work = MarketPending.decodeLiquidation(pending);
        MarketStepRun.market(r);
        bool more;
        if (work.stage == MarketPending.STAGE_CANCEL) more = _cancel(r, w, work);
        else if (work.stage == MarketPending.STAGE_SWEEP) more = _sweep(r, w, work);
        else if (work.stage == MarketPending.STAGE_TAKEOVER) more = _takeover(r, w, work);
        else if (work.stage == MarketPending.STAGE_DELEVERAGE) more = _deleverage(r, w, work);
        else more = _finish(r, w, work);
        r.pending = more ? MarketPending.encodeLiquidation(work) : bytes("");
    }

    /// Up to C of its orders; once none is left, its funding, its bankruptcy price and the limit it closes at.
    function _cancel(Run memory r, MarketWitness calldata w, LiquidationWork memory work) private pure returns (bool) {
        PositionAt memory p = MarketStepRun.readPosition(r, w, work.account);
        Position memory leaf = p.leaf;
        for (uint256 cancelled = 0; leaf.orders.length > 0 && cancelled < r.ctx.cancelsPerStep; cancelled++) {
            ListedOrder memory order = leaf.orders[0];
            MarketStepRun.removeOrder(r, w, MarketStepRun.entryOf(order, work.account));
            PositionLeaf.removeOrderAt(leaf, 0);
        }
        if (leaf.orders.length > 0) {
            MarketStepRun.writePosition(r, w, p);
            return true;
        }
        MarketStepRun.settleFunding(r, leaf);
        int256 size = leaf.size < 0 ? -leaf.size : leaf.size;
        int256 bankruptcy = _bankruptcyPrice(leaf, r.m.params.sizeScale);
        int256 tick = int256(uint256(r.m.params.tickSize));
        // An IOC reduce no worse than the bankruptcy price, rounded to a tick in the trader's favour.
        work.limit = work.isLong ? (bankruptcy + tick - 1) / tick * tick : bankruptcy / tick * tick;
        MarketStepRun.writePosition(r, w, p);
        (work.stage, work.size, work.bankruptcy, work.filled, work.remaining) = (MarketPending.STAGE_SWEEP, size, bankruptcy, 0, size);
        return true;
    }

    /// Closing into the book: up to F fills against the best opposite orders at or better than the limit.
    function _sweep(Run memory r, MarketWitness calldata w, LiquidationWork memory work) private pure returns (bool) {
        PositionAt memory p = MarketStepRun.readPosition(r, w, work.account);
        int256 remaining = work.remaining;
        bool done = work.limit <= 0;
        if (!done) (done, remaining) = MarketOrderSteps.sweepBook(r, w, p, !work.isLong, work.limit, remaining);
        MarketStepRun.writePosition(r, w, p);
        work.stage = done ? MarketPending.STAGE_TAKEOVER : MarketPending.STAGE_SWEEP;
        work.filled += work.remaining - remaining;
        work.remaining = remaining;
        return true;
    }

    /// The fee on what the book took, then the insurance fund takes the rest at the bankruptcy price if it stays
    /// solvent at the mark.
    function _takeover(Run memory r, MarketWitness calldata w, LiquidationWork memory work) private pure returns (bool) {
        Market memory m = r.m;
        PositionAt memory p = MarketStepRun.readPosition(r, w, work.account);
        PositionAt memory fund = MarketStepRun.readPosition(r, w, address(0));
        if (work.filled > 0) {
            int256 notional = MarginMath.notional(m.markPrice, work.filled, m.params.sizeScale);
            int256 equity = MarketStepRun.equityAt(r, p.leaf, m.markPrice);
            int256 fee = MarginMath.fractionUp(notional, m.params.liquidationFeePpm);
            if (equity < 0) equity = 0;
            if (equity < fee) fee = equity;
            p.leaf.collateral -= fee;
            fund.leaf.collateral += fee;
        }
        int256 remaining = work.remaining;
        if (remaining > 0) {
            int256 signed = work.isLong ? remaining : -remaining;
            int256 cash = MarginMath.notional(work.bankruptcy, signed, m.params.sizeScale);
            MarketStepRun.settleFunding(r, fund.leaf);
            int256 fundEquityAfter =
                fund.leaf.collateral - cash + MarginMath.notional(m.markPrice, fund.leaf.size + signed, m.params.sizeScale);
            if (fundEquityAfter >= 0) {
                _transfer(p.leaf, fund.leaf, signed, cash);
                remaining = 0;
            }
        }
        MarketStepRun.writePosition(r, w, p);
        MarketStepRun.writePosition(r, w, fund);
        work.stage = remaining > 0 ? MarketPending.STAGE_DELEVERAGE : MarketPending.STAGE_FINISH;
        work.remaining = remaining;
        return true;
    }

    /// One counterparty: the most profitable opposite position (the rightmost of its side) takes what it can at
    /// the bankruptcy price.
    function _deleverage(Run memory r, MarketWitness calldata w, LiquidationWork memory work) private pure returns (bool) {
        PositionAt memory p = MarketStepRun.readPosition(r, w, work.account);
        (bool found, uint256 i) = MarketStepRun.readEdge(r, w, work.isLong ? MarketTree.SHORTS : MarketTree.LONGS, false);
        if (!found) {
            work.stage = MarketPending.STAGE_FINISH;
            return true;
        }
        PositionAt memory counterparty = _riskLeafOwner(r, w, w.ordered[i].key, !work.isLong);
        int256 quantity = _takeFrom(r, p, counterparty, work);
        MarketStepRun.writePosition(r, w, counterparty);
        MarketStepRun.writePosition(r, w, p);
        work.remaining -= quantity;
        work.stage = work.remaining > 0 ? MarketPending.STAGE_DELEVERAGE : MarketPending.STAGE_FINISH;
        return true;
    }

    /// What the counterparty takes of the remainder, at the bankruptcy price, after settling its funding.
    function _takeFrom(Run memory r, PositionAt memory p, PositionAt memory counterparty, LiquidationWork memory work)
        private
        pure
        returns (int256 quantity)
    {
        MarketStepRun.settleFunding(r, counterparty.leaf);
        int256 held = counterparty.leaf.size < 0 ? -counterparty.leaf.size : counterparty.leaf.size;
        quantity = work.remaining < held ? work.remaining : held;
        int256 signed = work.isLong ? quantity : -quantity;
        _transfer(p.leaf, counterparty.leaf, signed, MarginMath.notional(work.bankruptcy, signed, r.m.params.sizeScale));
    }

    /// A remainder halts the market; a closed bankrupt position's negative dust goes to the fund. Done.
    function _finish(Run memory r, MarketWitness calldata w, LiquidationWork memory work) private pure returns (bool) {
        if (work.remaining > 0) r.m.haltReason = MarketRecord.HALT_INSOLVENT;
        PositionAt memory p = MarketStepRun.readPosition(r, w, work.account);
        if (p.leaf.size == 0 && p.leaf.collateral < 0) {
            PositionAt memory fund = MarketStepRun.readPosition(r, w, address(0));
            fund.leaf.collateral += p.leaf.collateral;
            p.leaf.collateral = 0;
            MarketStepRun.writePosition(r, w, p);
            MarketStepRun.writePosition(r, w, fund);
        }
        // The engine treats this as a broken invariant and faults the market: no step exists for it.
        if (p.leaf.size != 0 && r.m.haltReason == MarketRecord.HALT_NONE) revert E.LiquidationLeftSize(work.account, int64(p.leaf.size));
        return false;
    }

    /// The position a risk leaf belongs to (the key's last 20 bytes), held to the key its own leaf gives.
    function _riskLeafOwner(Run memory r, MarketWitness calldata w, bytes32 key, bool isLong) private pure returns (PositionAt memory p) {
        address account = MarketLeaves.riskLeafAccount(key);
        p = MarketStepRun.readPosition(r, w, account);
        if (!p.hasRisk || p.riskIsLong != isLong || p.riskKey != key) revert E.RiskLeafNotItsPositions(account);
    }

    /// The price at which the position's equity is zero, −collateral·scale/size, within [0, (2^63 − 1)/2].
    function _bankruptcyPrice(Position memory p, uint256 sizeScale) private pure returns (int256) {
        int256 price = -p.collateral * int256(sizeScale) / p.size;
        if (price <= 0) return 0;
        int256 cap = int256(type(int64).max) / 2;
        return price < cap ? price : cap;
    }

    function _transfer(Position memory from, Position memory to, int256 signedSize, int256 cash) private pure {
        from.size -= signedSize;
        from.collateral += cash;
        to.size += signedSize;
        to.collateral -= cash;
    }
}
