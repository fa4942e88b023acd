// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Message, MarketMessageStep} from "./MarketMessageStep.sol";
import {MarketOrderSteps} from "./MarketOrderSteps.sol";
import {MarketPending, SweepWork} from "./MarketPending.sol";
import {MarketStatus} from "./MarketStatus.sol";
import {MarketStepProver} from "./MarketStepProver.sol";
import {MarketStepRun, Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketWitness} from "./MarketStepTypes.sol";

/// @notice Orders: a PlaceOrder Message, and Continue of a pending sweep (a bulk item's too).
contract MarketOrderProver is MarketStepProver {
    function _step(Run memory r, MarketWitness calldata w, bytes calldata pending) internal pure override {
        if (r.s.phase != MarketPhase.INBOX) revert NotThisProversStep();
        if (pending.length == 0) _place(r, w);
        else _continue(r, w, pending);
    }

    function _place(Run memory r, MarketWitness calldata w) private pure {
        Message memory m = MarketMessageStep.openOrder(r, w);
        uint8 status = MarketOrderSteps.place(r, w, m.tx, m.sequence, m.txIndex, m.slot);
        if (status != MarketStatus.UNDECIDED) MarketStepRun.decide(r, m.sequence, status);
    }

    function _continue(Run memory r, MarketWitness calldata w, bytes calldata pending) private pure {
        uint8 kind = MarketPending.kindOf(pending);
        if (kind == MarketPending.LIQUIDATION) revert LiquidationPendingInInbox();
        if (kind != MarketPending.SWEEP) revert NotThisProversStep();
        MarketStepRun.market(r);
        SweepWork memory work = MarketPending.decodeSweep(pending);
        uint8 status = MarketOrderSteps.sweep(r, w, work, MarketStepRun.readPosition(r, w, work.account));
        if (status != MarketStatus.UNDECIDED) MarketStepRun.decide(r, work.sequence, status);
    }
}
