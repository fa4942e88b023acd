// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Integer margin arithmetic (C# Markets/MarginMath): notional is price·size/scale rounded toward zero,
/// fractions are parts per million rounded up. Wide products in int256, where C# uses Int128.
library MarginMath {
    int256 internal constant PPM = 1_000_000;
    /// The largest notional one value may reach.
    int256 internal constant MAX_NOTIONAL = 1 << 60;

    function notional(int256 price, int256 size, uint256 scale) internal pure returns (int256) {
        return price * size / int256(scale);
    }

    /// Whether price·size/scale stays within ±MAX_NOTIONAL.
    function fitsNotional(int256 price, int256 size, uint256 scale) internal pure returns (bool) {
        int256 value = notional(price, size, scale);
        return value <= MAX_NOTIONAL && value >= -MAX_NOTIONAL;
    }

    /// ⌈amount·ppm/10^6⌉ for a non-negative amount (truncated toward zero for a negative one, as C# divides).
    function fractionUp(int256 amount, uint256 ppm) internal pure returns (int256) {
        return (amount * int256(ppm) + (PPM - 1)) / PPM;
    }
}
