// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {FundingMath} from "./FundingMath.sol";
import {MarginMath} from "./MarginMath.sol";

/// @notice Where a position stands in its side's liquidation order (C# Markets/RiskKey;
/// docs/execution.md#liquidation): K, collateral per unit of size with settled funding folded in.
library RiskKey {
    /// K is kept within ±2^95 so that it and an address fit a 32-byte tree key.
    int256 internal constant LIMIT = 1 << 95;

    /// ⌊(collateral·Scale + size·settledIndex) / |size|⌋, clamped to [−2^95, 2^95 − 1]; size must not be 0.
    function k(int256 size, int256 collateral, int256 settledIndex) internal pure returns (int256) {
        int256 quantity = size < 0 ? -size : size;
        int256 numerator = collateral * FundingMath.SCALE + size * settledIndex;
        int256 quotient = numerator / quantity;
        if (numerator % quantity != 0 && numerator < 0) quotient -= 1;
        return quotient < -LIMIT ? -LIMIT : quotient > LIMIT - 1 ? LIMIT - 1 : quotient;
    }

    /// The K below which a long is below maintenance, I − ⌊mark·(10^6 − mm)·10^3 / scale⌋; for a short
    /// ⌈mark·(10^6 + mm)·10^3 / scale⌉ − I.
    function threshold(bool isLong, int256 index, int256 mark, uint256 sizeScale, uint256 maintenancePpm)
        internal
        pure
        returns (int256)
    {
        int256 perPpm = FundingMath.SCALE / MarginMath.PPM;
        int256 scale = int256(sizeScale);
        if (isLong) return index - mark * (MarginMath.PPM - int256(maintenancePpm)) * perPpm / scale;
        int256 scaled = mark * (MarginMath.PPM + int256(maintenancePpm)) * perPpm;
        return (scaled + (scale - 1)) / scale - index;
    }
}
