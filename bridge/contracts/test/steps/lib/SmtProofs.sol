// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Smt} from "../../lib/Smt.sol";

/// @notice Test-only proofs of presence and absence in a sparse Merkle tree built top-down from its key set by
/// docs/state.md's rules (an empty subtree is zero, a subtree of one key is its leaf, otherwise
/// H(0x01 ‖ left ‖ right) split on the depth's bit). Independent of the contract's fold.
library SmtProofs {
    struct Proof {
        bytes32[] siblings;
        bytes32 otherKey; // the leaf that ends the path when it is another key's (zero otherwise)
        bytes32 otherValueHash;
        bool present; // the path ends in the key's own leaf
    }

    function root(bytes32[] memory keys, bytes32[] memory values) internal pure returns (bytes32) {
        return subtree(keys, values, all(keys.length), 0);
    }

    /// The path from the root towards `key`: siblings, and what ends it (the key's leaf, another's, or nothing).
    function prove(bytes32[] memory keys, bytes32[] memory values, bytes32 key) internal pure returns (Proof memory p) {
        uint256[] memory here = all(keys.length);
        bytes32[] memory siblings = new bytes32[](256);
        uint256 depth = 0;
        while (here.length > 1) {
            (uint256[] memory zeros, uint256[] memory ones) = split(keys, here, depth);
            bool right = Smt.bitOf(key, depth);
            siblings[depth] = subtree(keys, values, right ? zeros : ones, depth + 1);
            here = right ? ones : zeros;
            depth++;
        }
        assembly {
            mstore(siblings, depth)
        }
        p.siblings = siblings;
        if (here.length == 1) {
            if (keys[here[0]] == key) {
                p.present = true;
            } else {
                p.otherKey = keys[here[0]];
                p.otherValueHash = values[here[0]];
            }
        }
    }

    /// A run of shared bits is a loop (an inner node with an empty sibling per bit), not a recursion, so the
    /// recursion is at most as deep as the number of keys.
    function subtree(bytes32[] memory keys, bytes32[] memory values, uint256[] memory set, uint256 depth)
        internal
        pure
        returns (bytes32 node)
    {
        if (set.length == 0) return bytes32(0);
        if (set.length == 1) return Smt.leaf(keys[set[0]], values[set[0]]);
        uint256 parting = depth;
        (uint256[] memory zeros, uint256[] memory ones) = split(keys, set, parting);
        while (zeros.length == 0 || ones.length == 0) {
            parting++;
            (zeros, ones) = split(keys, set, parting);
        }
        node = Smt.inner(subtree(keys, values, zeros, parting + 1), subtree(keys, values, ones, parting + 1));
        for (uint256 d = parting; d > depth; d--) {
            node = Smt.bitOf(keys[set[0]], d - 1) ? Smt.inner(bytes32(0), node) : Smt.inner(node, bytes32(0));
        }
    }

    function split(bytes32[] memory keys, uint256[] memory set, uint256 depth)
        internal
        pure
        returns (uint256[] memory zeros, uint256[] memory ones)
    {
        require(depth < 256, "SmtProofs: duplicate keys");
        zeros = new uint256[](set.length);
        ones = new uint256[](set.length);
        uint256 z;
        uint256 o;
        for (uint256 i = 0; i < set.length; i++) {
            if (Smt.bitOf(keys[set[i]], depth)) ones[o++] = set[i];
            else zeros[z++] = set[i];
        }
        assembly {
            mstore(zeros, z)
            mstore(ones, o)
        }
    }

    function all(uint256 n) internal pure returns (uint256[] memory set) {
        set = new uint256[](n);
        for (uint256 i = 0; i < n; i++) {
            set[i] = i;
        }
    }
}
