// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarginMath} from "./MarginMath.sol";

/// @notice The market rules the engine and the market step function share (C# Markets/MarketRules): the mark,
/// the price band, funding's due block and rate, the circuit breaker.
library MarketRules {
    /// The median of the oracle price, the best bid and the best ask (a missing side counts as the oracle price);
    /// 0 while there is no oracle price.
    function mark(int256 oracle, bool hasBid, int256 bid, bool hasAsk, int256 ask) internal pure returns (int256) {
        if (oracle == 0) return 0;
        if (!hasBid) bid = oracle;
        if (!hasAsk) ask = oracle;
        return _max(_min(oracle, bid), _min(_max(oracle, bid), ask));
    }

    function withinBand(int256 price, int256 oracle, uint256 bandPpm) internal pure returns (bool) {
        int256 distance = price - oracle;
        if (distance < 0) distance = -distance;
        return distance * MarginMath.PPM <= oracle * int256(bandPpm);
    }

    function isFundingDue(uint256 intervalBlocks, int256 oracle, uint256 lastFundingBlock, uint256 blockNumber)
        internal
        pure
        returns (bool)
    {
        return intervalBlocks > 0 && oracle > 0 && blockNumber >= lastFundingBlock + intervalBlocks;
    }

    /// The premium of the mark over the oracle price in ppm, truncated toward zero, capped at ±cap.
    function fundingRate(int256 markPrice, int256 oracle, uint256 capPpm) internal pure returns (int256) {
        int256 premium = (markPrice - oracle) * MarginMath.PPM / oracle;
        int256 cap = int256(capPpm);
        return premium < -cap ? -cap : premium > cap ? cap : premium;
    }

    function breakerWindowRestarts(int256 windowStartMark, uint256 windowStartBlock, uint256 windowBlocks, uint256 blockNumber)
        internal
        pure
        returns (bool)
    {
        return windowStartMark == 0 || blockNumber >= windowStartBlock + windowBlocks;
    }

    function breakerTrips(int256 markPrice, int256 windowStartMark, uint256 haltMovePpm) internal pure returns (bool) {
        int256 move = markPrice - windowStartMark;
        if (move < 0) move = -move;
        return haltMovePpm > 0 && move * MarginMath.PPM > windowStartMark * int256(haltMovePpm);
    }

    function _min(int256 a, int256 b) private pure returns (int256) {
        return a < b ? a : b;
    }

    function _max(int256 a, int256 b) private pure returns (int256) {
        return a > b ? a : b;
    }
}
