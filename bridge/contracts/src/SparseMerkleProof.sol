// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Inclusion proofs in the L2's sparse Merkle trees (docs/state.md, "Trees" and "Proofs"):
/// a leaf hashes to keccak256(0x00 ‖ key ‖ valueHash), an inner node to keccak256(0x01 ‖ left ‖ right),
/// bit i of the key (most significant bit of byte 0 first) picks the left (0) or right (1) child at
/// depth i, and a subtree holding one leaf is that leaf. A proof is the siblings from the root down.
library SparseMerkleProof {
    /// @notice A key has 256 bits, so no path has more than 256 siblings.
    error ProofTooLong(uint256 siblings);

    uint256 internal constant MAX_DEPTH = 256;

    /// @notice The root a tree has if `key` holds `valueHash` and `siblings` are the siblings on its path.
    function root(bytes32 key, bytes32 valueHash, bytes32[] calldata siblings) internal pure returns (bytes32 node) {
        uint256 depth = siblings.length;
        if (depth > MAX_DEPTH) revert ProofTooLong(depth);
        node = leafHash(key, valueHash);
        for (uint256 i = depth; i > 0;) {
            unchecked {
                --i;
            }
            node = bit(key, i) == 0 ? nodeHash(node, siblings[i]) : nodeHash(siblings[i], node);
        }
    }

    /// @notice Bit `depth` of `key`, counting from the most significant bit of byte 0.
    function bit(bytes32 key, uint256 depth) internal pure returns (uint256) {
        return (uint256(key) >> (255 - depth)) & 1;
    }

    function leafHash(bytes32 key, bytes32 valueHash) internal pure returns (bytes32) {
        return _hash65(0x00, key, valueHash);
    }

    function nodeHash(bytes32 left, bytes32 right) internal pure returns (bytes32) {
        return _hash65(0x01, left, right);
    }

    /// keccak256(tag ‖ a ‖ b) in the free memory past the free-memory pointer, which is left where it
    /// is: abi.encodePacked would allocate 65 bytes per level of every proof and never give them back.
    function _hash65(uint8 tag, bytes32 a, bytes32 b) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore8(p, tag)
            mstore(add(p, 1), a)
            mstore(add(p, 33), b)
            h := keccak256(p, 65)
        }
    }
}
