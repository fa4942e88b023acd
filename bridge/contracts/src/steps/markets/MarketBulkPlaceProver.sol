// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarketBulkSteps} from "./MarketBulkSteps.sol";
import {BulkWork, MarketPending} from "./MarketPending.sol";
import {MarketStepProver} from "./MarketStepProver.sol";
import {Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketWitness} from "./MarketStepTypes.sol";

/// @notice Continue of a bulk's item that places (a place, or a cancel-replace's place once its cancel cancelled).
/// A sweep it leaves goes on in the order prover.
contract MarketBulkPlaceProver is MarketStepProver {
    function _step(Run memory r, MarketWitness calldata w, bytes calldata pending) internal pure override {
        if (r.s.phase != MarketPhase.INBOX || pending.length == 0) revert NotThisProversStep();
        uint8 kind = MarketPending.kindOf(pending);
        if (kind == MarketPending.LIQUIDATION) revert LiquidationPendingInInbox();
        if (kind != MarketPending.BULK) revert NotThisProversStep();
        BulkWork memory work = MarketPending.decodeBulk(pending);
        if (work.half == MarketPending.HALF_CANCEL) revert NotThisProversStep();
        MarketBulkSteps.continuePlace(r, w, work);
    }
}
