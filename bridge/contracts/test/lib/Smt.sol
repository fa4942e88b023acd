// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice A test-only sparse Merkle tree with compressed paths, built top-down from its key set the
/// way docs/state.md defines it (the contract only folds proofs bottom-up): an empty subtree is zero,
/// a subtree with one key is that key's leaf, otherwise H(0x01 ‖ left ‖ right) split on bit `depth`.
library Smt {
    function leaf(bytes32 key, bytes32 valueHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(uint8(0x00), key, valueHash));
    }

    function inner(bytes32 left, bytes32 right) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(uint8(0x01), left, right));
    }

    /// Siblings written out by hand, root down (a proof of a tree of two or three leaves).
    function siblings(bytes32 a) internal pure returns (bytes32[] memory p) {
        p = new bytes32[](1);
        p[0] = a;
    }

    function siblings(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory p) {
        p = new bytes32[](2);
        (p[0], p[1]) = (a, b);
    }

    function bitOf(bytes32 key, uint256 depth) internal pure returns (bool) {
        return uint8(key[depth / 8]) & (uint8(0x80) >> (depth % 8)) != 0;
    }

    function root(bytes32[] memory keys, bytes32[] memory values) internal pure returns (bytes32) {
        return _subtree(keys, values, _all(keys.length), 0);
    }

    /// The siblings from the root down to `key`'s leaf; the key must be in the tree.
    function proof(bytes32[] memory keys, bytes32[] memory values, bytes32 key)
        internal
        pure
        returns (bytes32[] memory siblings)
    {
        uint256[] memory here;
        (siblings, here) = _walk(keys, values, key);
        require(here.length == 1 && keys[here[0]] == key, "Smt.proof: key not in the tree");
    }

    /// The absence path of a key not in the tree (SparseMerkleAbsence's): the siblings from the root down to where the
    /// key's path leaves the tree, and the lone leaf there (`endingKey` zero for an empty subtree).
    function absence(bytes32[] memory keys, bytes32[] memory values, bytes32 key)
        internal
        pure
        returns (bytes32[] memory siblings, bytes32 endingKey, bytes32 endingValueHash)
    {
        uint256[] memory here;
        (siblings, here) = _walk(keys, values, key);
        if (here.length == 1) {
            require(keys[here[0]] != key, "Smt.absence: the key is in the tree");
            (endingKey, endingValueHash) = (keys[here[0]], values[here[0]]);
        }
    }

    /// `key`'s path from the root down while more than one key shares it: the siblings passed, and the keys left there
    /// (one: a leaf, its own or another's; none: an empty subtree).
    function _walk(bytes32[] memory keys, bytes32[] memory values, bytes32 key)
        private
        pure
        returns (bytes32[] memory siblings, uint256[] memory here)
    {
        here = _all(keys.length);
        siblings = new bytes32[](256);
        uint256 depth = 0;
        while (here.length > 1) {
            (uint256[] memory zeros, uint256[] memory ones) = _split(keys, here, depth);
            bool right = bitOf(key, depth);
            siblings[depth] = _subtree(keys, values, right ? zeros : ones, depth + 1);
            here = right ? ones : zeros;
            depth++;
        }
        assembly {
            mstore(siblings, depth)
        }
    }

    /// The same fold the contract runs, written out separately: for proofs made of made-up siblings.
    function fold(bytes32 key, bytes32 valueHash, bytes32[] memory siblings) internal pure returns (bytes32 node) {
        node = leaf(key, valueHash);
        for (uint256 i = siblings.length; i > 0; i--) {
            node = bitOf(key, i - 1) ? inner(siblings[i - 1], node) : inner(node, siblings[i - 1]);
        }
    }

    /// Recursion only where keys part ways (a run of shared bits is a loop), so its depth is at
    /// most the number of keys whatever the keys.
    function _subtree(bytes32[] memory keys, bytes32[] memory values, uint256[] memory set, uint256 depth)
        private
        pure
        returns (bytes32 node)
    {
        if (set.length == 0) return bytes32(0);
        if (set.length == 1) return leaf(keys[set[0]], values[set[0]]);
        uint256 parting = depth;
        (uint256[] memory zeros, uint256[] memory ones) = _split(keys, set, parting);
        while (zeros.length == 0 || ones.length == 0) {
            parting++;
            require(parting < 256, "Smt: duplicate keys");
            (zeros, ones) = _split(keys, set, parting);
        }
        node = inner(_subtree(keys, values, zeros, parting + 1), _subtree(keys, values, ones, parting + 1));
        for (uint256 d = parting; d > depth; d--) {
            node = bitOf(keys[set[0]], d - 1) ? inner(bytes32(0), node) : inner(node, bytes32(0));
        }
    }

    function _split(bytes32[] memory keys, uint256[] memory set, uint256 depth)
        private
        pure
        returns (uint256[] memory zeros, uint256[] memory ones)
    {
        zeros = new uint256[](set.length);
        ones = new uint256[](set.length);
        uint256 z;
        uint256 o;
        for (uint256 i = 0; i < set.length; i++) {
            if (bitOf(keys[set[i]], depth)) ones[o++] = set[i];
            else zeros[z++] = set[i];
        }
        assembly {
            mstore(zeros, z)
            mstore(ones, o)
        }
    }

    function _all(uint256 n) private pure returns (uint256[] memory set) {
        set = new uint256[](n);
        for (uint256 i = 0; i < n; i++) {
            set[i] = i;
        }
    }
}
