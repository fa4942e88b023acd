// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarginMath} from "./MarginMath.sol";

/// @notice Funding through a cumulative index (C# Markets/FundingMath; docs/execution.md#funding).
library FundingMath {
    /// The index counts collateral base units per unit of size times this.
    int256 internal constant SCALE = 1_000_000_000;
    /// The index stays within ±2^62.
    int256 internal constant LIMIT = 1 << 62;

    /// The index after a funding event at `ratePpm` (positive: longs pay) and the oracle price.
    function move(int256 index, int256 ratePpm, int256 oraclePrice, uint256 sizeScale) internal pure returns (int256) {
        int256 next = index + ratePpm * oraclePrice * (SCALE / MarginMath.PPM) / int256(sizeScale);
        return _clamp(next, -LIMIT, LIMIT);
    }

    /// What a position of `size` owes between two index values: paid rounded up, received rounded down in
    /// magnitude, so the pool never pays out more than it is owed.
    function owed(int256 size, int256 index, int256 settledIndex) internal pure returns (int256) {
        int256 exact = size * (index - settledIndex);
        if (exact == 0) return 0;
        int256 value = exact > 0 ? (exact + (SCALE - 1)) / SCALE : -(-exact / SCALE);
        return _clamp(value, -MarginMath.MAX_NOTIONAL, MarginMath.MAX_NOTIONAL);
    }

    function _clamp(int256 x, int256 low, int256 high) private pure returns (int256) {
        return x < low ? low : x > high ? high : x;
    }
}
