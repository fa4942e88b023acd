// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {RiskKey} from "./RiskKey.sol";

/// @notice The keys and fixed records of a market domain's trees (C# MarketLeaves; docs/steps.md, "Its leaves").
library MarketLeaves {
    function positionKey(address account) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(account));
    }

    /// Asks u64 price ‖ u64 orderId ‖ 0…, bids u64 (2^64 − 1 − price) ‖ u64 orderId ‖ 0…: left to right is priority.
    function bookKey(bool isBuy, int256 price, uint64 orderId) internal pure returns (bytes32) {
        uint64 raw = isBuy ? type(uint64).max - uint64(int64(price)) : uint64(int64(price));
        return bytes32((uint256(raw) << 192) | (uint256(orderId) << 128));
    }

    function bookPrice(bool isBuy, bytes32 key) internal pure returns (int256) {
        uint64 raw = uint64(uint256(key) >> 192);
        return int256(int64(isBuy ? type(uint64).max - raw : raw));
    }

    function bookOrderId(bytes32 key) internal pure returns (uint64) {
        return uint64(uint256(key) >> 128);
    }

    /// account ‖ reduceOnly u8.
    function bookRecord(address account, bool reduceOnly) internal pure returns (bytes memory) {
        return abi.encodePacked(account, reduceOnly ? uint8(1) : uint8(0));
    }

    /// u96 (K + 2^95) ‖ address.
    function riskLeafKey(int256 k, address account) internal pure returns (bytes32) {
        return bytes32((uint256(k + RiskKey.LIMIT) << 160) | uint256(uint160(account)));
    }

    function riskLeafK(bytes32 key) internal pure returns (int256) {
        return int256(uint256(key) >> 160) - RiskKey.LIMIT;
    }

    function riskLeafAccount(bytes32 key) internal pure returns (address) {
        return address(uint160(uint256(key)));
    }
}
