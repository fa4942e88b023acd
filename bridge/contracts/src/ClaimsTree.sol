// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "./IRollupSettlement.sol";

/// @notice The claims tree of a batch (docs/steps.md, "Claims"; docs/state.md, "Trees") built from its leaves, so a
/// commitment's claimsRoot is always backed by claims anyone can read from the commitBatch calldata: a challenger
/// names the sequencer's own claim, and no domain's claim can be withheld. Leaf keccak256(0x00 ‖ key ‖ value), inner
/// keccak256(0x01 ‖ left ‖ right), a subtree of one leaf is that leaf, an empty one zero; bit i of the key (most
/// significant first) goes left at 0.
library ClaimsTree {
    uint8 internal constant ACCOUNTS = 0;
    uint8 internal constant MARKET = 1;

    /// @notice The root of the claims, which come in strictly ascending key order and hold the accounts domain's.
    function root(IRollupSettlement.DomainClaim[] calldata claims) internal pure returns (bytes32) {
        uint256 n = claims.length;
        bytes32[] memory keys = new bytes32[](n);
        bytes32[] memory leaves = new bytes32[](n);
        bool accounts;
        for (uint256 i = 0; i < n; i++) {
            (bytes32 key, bytes32 leaf, bool isAccounts) = _leaf(claims[i]);
            if (i > 0 && key <= keys[i - 1]) revert IRollupSettlement.ClaimsNotInKeyOrder(i);
            keys[i] = key;
            leaves[i] = leaf;
            accounts = accounts || isAccounts;
        }
        if (!accounts) revert IRollupSettlement.NoAccountsClaim();
        return _subtree(keys, leaves, 0, n, 0);
    }

    function _leaf(IRollupSettlement.DomainClaim calldata c) private pure returns (bytes32 key, bytes32 leaf, bool isAccounts) {
        uint8 kind = c.kind;
        uint32 market = c.market;
        if (kind > MARKET || (kind == ACCOUNTS && market != 0)) revert IRollupSettlement.NotADomain(kind, market);
        key = keccak256(abi.encodePacked(kind, market));
        bytes32 value = keccak256(abi.encodePacked(c.start, c.end, c.steps));
        leaf = keccak256(abi.encodePacked(uint8(0), key, value));
        isAccounts = kind == ACCOUNTS;
    }

    /// The subtree of the leaves [lo, hi) at `depth`: sorted keys put those going left first. Distinct keys part by bit
    /// 255 at the latest, so the recursion ends.
    function _subtree(bytes32[] memory keys, bytes32[] memory leaves, uint256 lo, uint256 hi, uint256 depth)
        private
        pure
        returns (bytes32)
    {
        if (hi == lo) return bytes32(0);
        if (hi - lo == 1) return leaves[lo];
        uint256 mid = lo;
        while (mid < hi && (uint256(keys[mid]) >> (255 - depth)) & 1 == 0) mid++;
        return keccak256(
            abi.encodePacked(uint8(1), _subtree(keys, leaves, lo, mid, depth + 1), _subtree(keys, leaves, mid, hi, depth + 1))
        );
    }
}
