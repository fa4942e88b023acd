// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarketParams} from "./TransactionDecoder.sol";

/// @notice What makes market parameters acceptable to CreateMarket: exactly the engine's
/// MarketParamsRules.AreValid (execution/Rollup.Execution/Markets/MarketParamsRules.cs).
library MarketParamsRules {
    uint256 internal constant MAX_SYMBOL_LENGTH = 16;
    uint256 internal constant PPM = 1_000_000;
    /// long.MaxValue / 4: a tick or lot above this could overflow the engine's price arithmetic.
    uint256 internal constant MAX_TICK_OR_LOT = uint256(uint64(type(int64).max)) / 4;
    uint256 internal constant MAX_ORACLE_SIGNERS = 4;
    /// A position's leaf lists its resting orders (docs/steps.md), so their number is bounded for calldata.
    uint256 internal constant MAX_OPEN_ORDERS_PER_ACCOUNT = 256;

    function areValid(MarketParams memory p) internal pure returns (bool) {
        bytes memory symbol = p.symbol;
        if (symbol.length == 0 || symbol.length > MAX_SYMBOL_LENGTH) return false;
        for (uint256 i = 0; i < symbol.length; i++) {
            if (symbol[i] < 0x21 || symbol[i] > 0x7E) return false;
        }
        return p.tickSize > 0 && p.tickSize <= MAX_TICK_OR_LOT && p.lotSize > 0 && p.lotSize <= MAX_TICK_OR_LOT
            && isPowerOfTen(p.sizeScale) && p.maintenanceMarginPpm > 0 && p.maintenanceMarginPpm < p.initialMarginPpm
            && p.initialMarginPpm <= PPM && p.makerFeePpm <= 100_000 && p.takerFeePpm <= 100_000
            && p.liquidationFeePpm <= 500_000 && p.priceBandPpm > 0 && p.priceBandPpm < 1_000_000
            && p.maxOpenOrdersPerAccount > 0
            && p.maxOpenOrdersPerAccount <= MAX_OPEN_ORDERS_PER_ACCOUNT && p.fundingCapPpm <= 100_000 && p.haltMovePpm <= PPM
            && p.maxBookOrders > 0 && p.maxBookOrders <= 1_000_000 && p.maxBookLevels > 0 && p.maxBookLevels <= 100_000
            && p.oracleSigners.length > 0 && p.oracleSigners.length <= MAX_ORACLE_SIGNERS;
    }

    /// 1, 10, 100, …, 10^19.
    function isPowerOfTen(uint64 value) internal pure returns (bool) {
        if (value == 0) return false;
        while (value % 10 == 0) value /= 10;
        return value == 1;
    }
}
