// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SparseMerkleProof} from "../SparseMerkleProof.sol";

/// @notice A domain's claim in a batch's claimsRoot (docs/steps.md, "Claims"), as the settlement contract's
/// claimIncluded checks it: key keccak256(u8 kind ‖ u32 market), value hash keccak256(start ‖ end ‖ u64 steps),
/// hashed by SparseMerkleProof.
library BatchClaims {
    uint8 internal constant ACCOUNTS = 0;
    uint8 internal constant MARKET = 1;

    /// @notice Whether `siblings` prove the claim (start, end, steps) of domain (kind, market) under `claimsRoot`.
    /// @dev SparseMerkleProof.root folds calldata siblings; a prover's siblings are decoded from its proof into
    /// memory, so the same fold is done here over memory.
    function included(
        bytes32 claimsRoot,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] memory siblings
    ) internal pure returns (bool) {
        uint256 depth = siblings.length;
        if (depth > SparseMerkleProof.MAX_DEPTH) return false;
        bytes32 key = keccak256(abi.encodePacked(kind, market));
        bytes32 node = SparseMerkleProof.leafHash(key, keccak256(abi.encodePacked(start, end, steps)));
        for (uint256 i = depth; i > 0;) {
            unchecked {
                --i;
            }
            node = SparseMerkleProof.bit(key, i) == 0
                ? SparseMerkleProof.nodeHash(node, siblings[i])
                : SparseMerkleProof.nodeHash(siblings[i], node);
        }
        return node == claimsRoot;
    }
}
