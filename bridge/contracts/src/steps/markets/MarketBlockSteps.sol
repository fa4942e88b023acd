// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {AccountsStepKeys as Keys} from "../AccountsStepKeys.sol";
import {CalldataReader as R} from "./CalldataReader.sol";
import {FundingMath} from "./FundingMath.sol";
import {Market, MarketRecord} from "./MarketRecord.sol";
import {MarketRules} from "./MarketRules.sol";
import {MarketStepErrors as E} from "./MarketStepErrors.sol";
import {BookEntry, MarketStepRun, Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketWitness} from "./MarketStepTypes.sol";

/// @notice The steps of a block's frame (C# MarketStepFunction): BlockStart, Mark and MarkAgain, and the mark they
/// and an oracle update compute.
library MarketBlockSteps {
    /// The next block: its header, whether the accounts domain routed the market a message in it, and whether
    /// funding is due. A market with neither only moves to the block.
    function blockStart(Run memory r, MarketWitness calldata w) internal pure {
        uint64 number = r.s.block + 1;
        uint256 header = MarketStepRun.readInput(r, w, r.ctx.blocksRoot, Keys.ofU64(number));
        bytes calldata record = w.inputs[header].record;
        if (record.length != 20) revert E.BlockNotInBatch(number);
        uint64 timestamp = uint64(R.u(record, 0, 8));
        uint256 message =
            MarketStepRun.readInput(r, w, r.ctx.accountsOutboxRoot, Keys.outboxMessage(r.s.market, number, 0));
        bool due = r.marketExists
            && MarketRules.isFundingDue(r.m.params.fundingIntervalBlocks, r.m.oraclePrice, r.m.lastFundingBlock, number);
        r.s.block = number;
        r.s.timestamp = timestamp;
        r.s.nextMessage = 0;
        r.s.phase = w.inputs[message].record.length > 0 || due ? MarketPhase.INBOX : MarketPhase.BLOCK_START;
    }

    /// The mark from the oracle and the best bid and ask, the circuit breaker, and a funding event if due.
    function mark(Run memory r, MarketWitness calldata w) internal pure {
        updateMark(r, w);
        Market memory m = r.m;
        if (MarketRules.isFundingDue(m.params.fundingIntervalBlocks, m.oraclePrice, m.lastFundingBlock, r.s.block)) {
            int256 rate = MarketRules.fundingRate(m.markPrice, m.oraclePrice, m.params.fundingCapPpm);
            m.lastFundingBlock = r.s.block;
            if (rate != 0) m.fundingIndex = FundingMath.move(m.fundingIndex, rate, m.oraclePrice, m.params.sizeScale);
        }
        r.s.phase = MarketPhase.LIQUIDATION;
    }

    /// The mark again: if liquidations moved it, the liquidation phase runs again; else the block is done.
    function markAgain(Run memory r, MarketWitness calldata w) internal pure {
        int256 before = MarketStepRun.market(r).markPrice;
        updateMark(r, w);
        bool again = r.s.liquidatedThisRound && r.m.markPrice != before && !MarketStepRun.isCancelOnly(r);
        r.s.phase = again ? MarketPhase.LIQUIDATION : MarketPhase.BLOCK_START;
        if (!again) r.s.nextMessage = 0;
        r.s.liquidatedThisRound = false;
    }

    /// The mark from the book's best prices, and the circuit breaker's window and trip.
    function updateMark(Run memory r, MarketWitness calldata w) internal pure {
        (bool hasBid, BookEntry memory bid) = MarketStepRun.best(r, w, true);
        (bool hasAsk, BookEntry memory ask) = MarketStepRun.best(r, w, false);
        Market memory m = MarketStepRun.market(r);
        int256 price = MarketRules.mark(m.oraclePrice, hasBid, bid.price, hasAsk, ask.price);
        m.markPrice = price;
        if (price == 0) return;
        if (MarketRules.breakerWindowRestarts(m.haltWindowStartMark, m.haltWindowStartBlock, m.params.haltWindowBlocks, r.s.block)) {
            m.haltWindowStartBlock = r.s.block;
            m.haltWindowStartMark = price;
        } else if (MarketRules.breakerTrips(price, m.haltWindowStartMark, m.params.haltMovePpm) && m.haltReason == MarketRecord.HALT_NONE) {
            m.haltReason = MarketRecord.HALT_MARK_MOVE;
        }
    }
}
