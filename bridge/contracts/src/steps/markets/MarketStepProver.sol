// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarketStepErrors} from "./MarketStepErrors.sol";
import {MarketStepRun, Run} from "./MarketStepRun.sol";
import {MarketBytes, MarketState, MarketStepContext, MarketWitness} from "./MarketStepTypes.sol";

/// @notice One prover of some of the market's step kinds, behind MarketStepVerifier: the same call as the
/// verifier's, so the verifier forwards its calldata unchanged. Each prover refuses a state whose step is not one
/// of its kinds.
abstract contract MarketStepProver is MarketStepErrors {
    function step(MarketState calldata pre, MarketBytes calldata bytes_, MarketStepContext calldata ctx, MarketWitness calldata w)
        external
        pure
        returns (MarketState memory post, MarketBytes memory out)
    {
        Run memory r = MarketStepRun.start(pre, bytes_, ctx);
        _step(r, w, bytes_.pending);
        return MarketStepRun.finish(r, w);
    }

    function _step(Run memory r, MarketWitness calldata w, bytes calldata pending) internal pure virtual;
}
