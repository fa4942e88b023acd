// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarketBlockSteps} from "./MarketBlockSteps.sol";
import {MarketLiquidationSteps} from "./MarketLiquidationSteps.sol";
import {MarketStepProver} from "./MarketStepProver.sol";
import {Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketWitness} from "./MarketStepTypes.sol";

/// @notice The block's frame: BlockStart, Mark, the liquidation check (LiquidationStart or NoneLeft), MarkAgain.
contract MarketBlockProver is MarketStepProver {
    function _step(Run memory r, MarketWitness calldata w, bytes calldata pending) internal pure override {
        uint8 phase = r.s.phase;
        if (phase == MarketPhase.BLOCK_START) MarketBlockSteps.blockStart(r, w);
        else if (phase == MarketPhase.MARK) MarketBlockSteps.mark(r, w);
        else if (phase == MarketPhase.LIQUIDATION && pending.length == 0) MarketLiquidationSteps.check(r, w);
        else if (phase == MarketPhase.MARK_AGAIN) MarketBlockSteps.markAgain(r, w);
        else revert NotThisProversStep();
    }
}
