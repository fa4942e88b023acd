// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Transaction, TxKind} from "../TransactionDecoder.sol";
import {MarketAdminSteps} from "./MarketAdminSteps.sol";
import {MarketCancelSteps} from "./MarketCancelSteps.sol";
import {MarketMarginSteps} from "./MarketMarginSteps.sol";
import {Message, MarketMessageStep} from "./MarketMessageStep.sol";
import {CancelAllWork, MarketPending} from "./MarketPending.sol";
import {MarketStatus} from "./MarketStatus.sol";
import {MarketStepProver} from "./MarketStepProver.sol";
import {MarketStepRun, Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketWitness} from "./MarketStepTypes.sol";

/// @notice The inbox's steps apart from orders: InboxEnd, and a Message of every kind but PlaceOrder (the market's
/// administration, oracle prices, margin in and out, cancels, cancel-all), and Continue of a pending cancel-all.
contract MarketMessageProver is MarketStepProver {
    function _step(Run memory r, MarketWitness calldata w, bytes calldata pending) internal pure override {
        if (r.s.phase != MarketPhase.INBOX) revert NotThisProversStep();
        if (pending.length == 0) _message(r, w);
        else _continueCancelAll(r, w, pending);
    }

    function _continueCancelAll(Run memory r, MarketWitness calldata w, bytes calldata pending) private pure {
        uint8 kind = MarketPending.kindOf(pending);
        if (kind == MarketPending.LIQUIDATION) revert LiquidationPendingInInbox();
        if (kind != MarketPending.CANCEL_ALL) revert NotThisProversStep();
        MarketStepRun.market(r);
        CancelAllWork memory work = MarketPending.decodeCancelAll(pending);
        uint8 status = MarketCancelSteps.cancelAll(r, w, work, false);
        if (status != MarketStatus.UNDECIDED) MarketStepRun.decide(r, work.sequence, status);
    }

    function _message(Run memory r, MarketWitness calldata w) private pure {
        (bool found, Message memory m) = MarketMessageStep.open(r, w);
        if (!found) return;
        Transaction memory t = m.tx;
        uint8 kind = t.kind;
        bytes calldata record = w.inputs[m.txLeaf].record;
        uint8 status;
        if (kind == TxKind.CREATE_MARKET) status = MarketAdminSteps.create(r, record);
        else if (kind == TxKind.SET_MARKET_PARAMS) status = MarketAdminSteps.setParams(r, t, record);
        else if (kind == TxKind.PAUSE_MARKET) status = MarketAdminSteps.pause(r);
        else if (kind == TxKind.RESUME_MARKET) status = MarketAdminSteps.resume(r);
        else if (kind == TxKind.ORACLE_UPDATE) status = MarketAdminSteps.oracle(r, w, t);
        else if (kind == TxKind.TRANSFER_MARGIN) {
            status = t.toMarket ? MarketMarginSteps.moveIn(r, w, t) : MarketMarginSteps.moveOut(r, w, t, m.txIndex);
        } else if (kind == TxKind.CANCEL_ORDER || kind == TxKind.CANCEL_ORDER_BY_CLIENT_ID) {
            status = MarketCancelSteps.cancel(r, w, t);
        } else if (kind == TxKind.CANCEL_ALL_ORDERS) {
            status = MarketCancelSteps.cancelAll(r, w, CancelAllWork(m.sequence, m.txIndex, t.account), true);
        } else {
            revert NotThisProversStep();
        }
        // CreateMarket's receipt is the accounts domain's; work going on in the next step has none yet.
        if (status != MarketStatus.UNDECIDED && kind != TxKind.CREATE_MARKET) MarketStepRun.decide(r, m.sequence, status);
    }
}
