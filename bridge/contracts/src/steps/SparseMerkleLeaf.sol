// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SparseMerkleProof} from "../SparseMerkleProof.sol";

/// @notice One key of a sparse Merkle tree (docs/state.md, "Proofs"; docs/steps.md, "What a step's witness holds"):
/// what a proof says the tree's root is when the key holds a value hash or is absent, and what the root becomes
/// when the key is written with a new non-empty value from the same proof. Hashing is SparseMerkleProof's.
/// @dev A proof is `siblings` (from the root down) and what ends the path: the key's own leaf (value hash non-zero;
/// `otherKey` and `otherValueHash` must then be zero), nothing (value hash zero, both zero), or another key's leaf
/// (value hash zero; `otherKey` ≠ key sharing the first `siblings.length` bits with it). A proof that cannot say
/// what is asked gives `ok = false`; the caller names the leaf in its own error.
library SparseMerkleLeaf {
    /// @notice The root `siblings` lead to if `key` holds `valueHash` (zero: is absent).
    function rootOf(
        bytes32 key,
        bytes32 valueHash,
        bytes32[] calldata siblings,
        bytes32 otherKey,
        bytes32 otherValueHash
    ) internal pure returns (bool ok, bytes32 root) {
        bytes32 node;
        (ok, node) = _end(key, valueHash, siblings.length, otherKey, otherValueHash);
        if (!ok) return (false, bytes32(0));
        root = _fold(key, node, siblings);
    }

    /// @notice The root before (with `key` holding `valueHash`, zero: absent) and the root after `key` is set to
    /// `newValueHash` (non-zero), both from the one proof. A new key goes where its absence proof ends: into the
    /// empty place, or, below another key's leaf, both leaves under an inner node at the first bit where the keys
    /// differ, with empty siblings between.
    function rootsOfWrite(
        bytes32 key,
        bytes32 valueHash,
        bytes32 newValueHash,
        bytes32[] calldata siblings,
        bytes32 otherKey,
        bytes32 otherValueHash
    ) internal pure returns (bool ok, bytes32 before, bytes32 afterWrite) {
        uint256 depth = siblings.length;
        bytes32 node;
        (ok, node) = _end(key, valueHash, depth, otherKey, otherValueHash);
        if (!ok || newValueHash == bytes32(0)) return (false, bytes32(0), bytes32(0));
        bytes32 written = SparseMerkleProof.leafHash(key, newValueHash);
        bool endsInOther = valueHash == bytes32(0) && (otherKey != bytes32(0) || otherValueHash != bytes32(0));
        if (endsInOther) written = _besideOther(key, written, otherKey, node, depth);
        (before, afterWrite) = _fold2(key, node, written, siblings);
    }

    /// What ends the path: the node at depth `depth` on `key`'s path, if the proof's ending says what is asked.
    function _end(bytes32 key, bytes32 valueHash, uint256 depth, bytes32 otherKey, bytes32 otherValueHash)
        private
        pure
        returns (bool ok, bytes32 node)
    {
        if (depth > SparseMerkleProof.MAX_DEPTH) return (false, bytes32(0));
        bool endsInNothing = otherKey == bytes32(0) && otherValueHash == bytes32(0);
        if (valueHash != bytes32(0)) {
            // Present: the path ends in the key's own leaf.
            return endsInNothing ? (true, SparseMerkleProof.leafHash(key, valueHash)) : (false, bytes32(0));
        }
        if (endsInNothing) return (true, bytes32(0));
        // Another key's leaf where ours would be: absence, if it sits on our path.
        if (otherKey == key || !_sharePrefix(key, otherKey, depth)) return (false, bytes32(0));
        return (true, SparseMerkleProof.leafHash(otherKey, otherValueHash));
    }

    /// The subtree at depth `depth` once `key`'s leaf joins `otherKey`'s there: an inner node at the first bit
    /// where the keys differ, then an empty sibling at every depth above it down to `depth`.
    function _besideOther(bytes32 key, bytes32 written, bytes32 otherKey, bytes32 otherLeaf, uint256 depth)
        private
        pure
        returns (bytes32 node)
    {
        uint256 split = _firstDifferingBit(key, otherKey);
        node = SparseMerkleProof.bit(key, split) == 0
            ? SparseMerkleProof.nodeHash(written, otherLeaf)
            : SparseMerkleProof.nodeHash(otherLeaf, written);
        for (uint256 i = split; i > depth;) {
            unchecked {
                --i;
            }
            node = SparseMerkleProof.bit(key, i) == 0
                ? SparseMerkleProof.nodeHash(node, bytes32(0))
                : SparseMerkleProof.nodeHash(bytes32(0), node);
        }
    }

    function _fold(bytes32 key, bytes32 node, bytes32[] calldata siblings) private pure returns (bytes32) {
        for (uint256 i = siblings.length; i > 0;) {
            unchecked {
                --i;
            }
            node = SparseMerkleProof.bit(key, i) == 0
                ? SparseMerkleProof.nodeHash(node, siblings[i])
                : SparseMerkleProof.nodeHash(siblings[i], node);
        }
        return node;
    }

    /// Both folds in one pass over the siblings: the path's bits and siblings are read once.
    function _fold2(bytes32 key, bytes32 a, bytes32 b, bytes32[] calldata siblings)
        private
        pure
        returns (bytes32, bytes32)
    {
        for (uint256 i = siblings.length; i > 0;) {
            unchecked {
                --i;
            }
            bytes32 sibling = siblings[i];
            if (SparseMerkleProof.bit(key, i) == 0) {
                a = SparseMerkleProof.nodeHash(a, sibling);
                b = SparseMerkleProof.nodeHash(b, sibling);
            } else {
                a = SparseMerkleProof.nodeHash(sibling, a);
                b = SparseMerkleProof.nodeHash(sibling, b);
            }
        }
        return (a, b);
    }

    /// Whether the first `depth` bits of `a` and `b` are equal (`depth` ≤ 256).
    function _sharePrefix(bytes32 a, bytes32 b, uint256 depth) private pure returns (bool) {
        if (depth == 0) return true;
        return (uint256(a) ^ uint256(b)) >> (256 - depth) == 0;
    }

    /// The depth (0 = most significant bit) of the first bit where `a` and `b` differ; they must differ.
    function _firstDifferingBit(bytes32 a, bytes32 b) private pure returns (uint256 depth) {
        uint256 x = uint256(a) ^ uint256(b);
        // 255 − floor(log2(x)), by halving.
        depth = 0;
        if (x >> 128 == 0) (depth, x) = (depth + 128, x << 128);
        if (x >> 192 == 0) (depth, x) = (depth + 64, x << 64);
        if (x >> 224 == 0) (depth, x) = (depth + 32, x << 32);
        if (x >> 240 == 0) (depth, x) = (depth + 16, x << 16);
        if (x >> 248 == 0) (depth, x) = (depth + 8, x << 8);
        if (x >> 252 == 0) (depth, x) = (depth + 4, x << 4);
        if (x >> 254 == 0) (depth, x) = (depth + 2, x << 2);
        if (x >> 255 == 0) depth += 1;
    }
}
