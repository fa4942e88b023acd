// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Fixed-width big-endian fields of calldata records, as the market's leaves and pending work lay them out.
library CalldataReader {
    /// The `size`-byte unsigned integer at `position`; the caller has checked the record's length.
    function u(bytes calldata r, uint256 position, uint256 size) internal pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := shr(sub(256, mul(size, 8)), calldataload(add(r.offset, position)))
        }
    }

    /// The big-endian i64 at `position`.
    function i64(bytes calldata r, uint256 position) internal pure returns (int256) {
        return int256(int64(uint64(u(r, position, 8))));
    }

    function addr(bytes calldata r, uint256 position) internal pure returns (address) {
        return address(uint160(u(r, position, 20)));
    }
}
