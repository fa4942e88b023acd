// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SparseMerkleProof} from "./SparseMerkleProof.sol";

/// @notice Proofs that a key is absent from one of the L2's sparse Merkle trees (docs/state.md, "Proofs"): the key's
/// path, siblings from the root down, ends either at an empty subtree (zero) or at the lone leaf of another key that
/// shares the path's bits. Either ending folds up to the root only if the tree has no leaf for the key.
library SparseMerkleAbsence {
    /// @notice The root of a tree in which `key`'s path of `siblings.length` bits ends at the leaf (`endingKey`,
    /// `endingValueHash`), or at an empty subtree when `endingKey` is zero; zero when that ending cannot be on
    /// `key`'s path (the ending key is `key` itself, or parts from it within the path).
    function root(bytes32 key, bytes32 endingKey, bytes32 endingValueHash, bytes32[] calldata siblings)
        internal
        pure
        returns (bytes32 node)
    {
        uint256 depth = siblings.length;
        if (depth > SparseMerkleProof.MAX_DEPTH) revert SparseMerkleProof.ProofTooLong(depth);
        if (endingKey != bytes32(0)) {
            if (endingKey == key || !_sharesBits(key, endingKey, depth)) return bytes32(0);
            node = SparseMerkleProof.leafHash(endingKey, endingValueHash);
        }
        for (uint256 i = depth; i > 0;) {
            unchecked {
                --i;
            }
            node = SparseMerkleProof.bit(key, i) == 0
                ? SparseMerkleProof.nodeHash(node, siblings[i])
                : SparseMerkleProof.nodeHash(siblings[i], node);
        }
    }

    function _sharesBits(bytes32 a, bytes32 b, uint256 bits) private pure returns (bool) {
        if (bits == 0) return true;
        return (uint256(a) ^ uint256(b)) >> (256 - bits) == 0;
    }
}
