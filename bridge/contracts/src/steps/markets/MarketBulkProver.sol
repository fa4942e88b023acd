// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Bulk, BulkDecoder} from "../BulkDecoder.sol";
import {TxKind} from "../TransactionDecoder.sol";
import {MarketBulkSteps} from "./MarketBulkSteps.sol";
import {Message, MarketMessageStep} from "./MarketMessageStep.sol";
import {BulkWork, MarketPending} from "./MarketPending.sol";
import {MarketStatus} from "./MarketStatus.sol";
import {MarketStepProver} from "./MarketStepProver.sol";
import {MarketStepRun, Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketWitness} from "./MarketStepTypes.sol";

/// @notice Bulks: a bulk's Message (its slots, then its first item pending), and Continue of a bulk's item that
/// cancels (a cancel, a cancel by client id, a cancel-replace's cancel). Its items that place are the order prover's.
contract MarketBulkProver is MarketStepProver {
    function _step(Run memory r, MarketWitness calldata w, bytes calldata pending) internal pure override {
        if (r.s.phase != MarketPhase.INBOX) revert NotThisProversStep();
        if (pending.length == 0) _open(r, w);
        else _continue(r, w, pending);
    }

    function _open(Run memory r, MarketWitness calldata w) private pure {
        (bool found, Message memory m) = MarketMessageStep.route(r, w);
        if (!found) revert NotThisProversStep();
        bytes calldata record = w.inputs[m.txLeaf].record;
        if (!BulkDecoder.isBulk(record)) revert NotThisProversStep();
        (Bulk memory b,) = BulkDecoder.decodeItems(record);
        MarketMessageStep.requireForThisMarket(r, m.sequence, TxKind.BULK, b.market);
        uint8 status = MarketBulkSteps.open(r, b, m.sequence, m.txIndex, m.slot);
        if (status != MarketStatus.UNDECIDED) MarketStepRun.decide(r, m.sequence, status);
    }

    function _continue(Run memory r, MarketWitness calldata w, bytes calldata pending) private pure {
        uint8 kind = MarketPending.kindOf(pending);
        if (kind == MarketPending.LIQUIDATION) revert LiquidationPendingInInbox();
        if (kind != MarketPending.BULK) revert NotThisProversStep();
        BulkWork memory work = MarketPending.decodeBulk(pending);
        if (work.half != MarketPending.HALF_CANCEL) revert NotThisProversStep();
        MarketBulkSteps.continueCancel(r, w, work);
    }
}
