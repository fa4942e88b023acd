// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarketLiquidationSteps} from "./MarketLiquidationSteps.sol";
import {MarketStepProver} from "./MarketStepProver.sol";
import {Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketWitness} from "./MarketStepTypes.sol";

/// @notice LiquidationContinue: the pending liquidation's next stage.
contract MarketLiquidationProver is MarketStepProver {
    function _step(Run memory r, MarketWitness calldata w, bytes calldata pending) internal pure override {
        if (r.s.phase != MarketPhase.LIQUIDATION || pending.length == 0) revert NotThisProversStep();
        MarketLiquidationSteps.proceed(r, w, pending);
    }
}
