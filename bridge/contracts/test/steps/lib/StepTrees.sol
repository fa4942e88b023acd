// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Leaf} from "../../../src/steps/AccountsStepTypes.sol";
import {SmtProofs} from "./SmtProofs.sol";

/// @notice A test-only tree of records (value hash = keccak256(record)), its root from the top-down builder, and
/// witness leaves with their proofs. Memory only: `put` returns the tree it changed.
library StepTrees {
    struct Tree {
        bytes32[] keys;
        bytes[] records;
    }

    function empty() internal pure returns (Tree memory t) {
        t.keys = new bytes32[](0);
        t.records = new bytes[](0);
    }

    /// A copy: `put` on it leaves the original alone.
    function copy(Tree memory t) internal pure returns (Tree memory c) {
        c.keys = new bytes32[](t.keys.length);
        c.records = new bytes[](t.keys.length);
        for (uint256 i = 0; i < t.keys.length; i++) {
            (c.keys[i], c.records[i]) = (t.keys[i], t.records[i]);
        }
    }

    function put(Tree memory t, bytes32 key, bytes memory record) internal pure returns (Tree memory) {
        for (uint256 i = 0; i < t.keys.length; i++) {
            if (t.keys[i] == key) {
                t.records[i] = record;
                return t;
            }
        }
        Tree memory grown;
        grown.keys = new bytes32[](t.keys.length + 1);
        grown.records = new bytes[](t.keys.length + 1);
        for (uint256 i = 0; i < t.keys.length; i++) {
            (grown.keys[i], grown.records[i]) = (t.keys[i], t.records[i]);
        }
        (grown.keys[t.keys.length], grown.records[t.keys.length]) = (key, record);
        return grown;
    }

    function root(Tree memory t) internal pure returns (bytes32) {
        return SmtProofs.root(t.keys, _values(t));
    }

    /// The witness leaf of `key`: its record (empty when absent) and its proof.
    function leaf(Tree memory t, bytes32 key) internal pure returns (Leaf memory l) {
        SmtProofs.Proof memory p = SmtProofs.prove(t.keys, _values(t), key);
        l.siblings = p.siblings;
        if (p.present) {
            for (uint256 i = 0; i < t.keys.length; i++) {
                if (t.keys[i] == key) l.record = t.records[i];
            }
        } else {
            (l.otherKey, l.otherValueHash) = (p.otherKey, p.otherValueHash);
        }
    }

    function _values(Tree memory t) private pure returns (bytes32[] memory values) {
        values = new bytes32[](t.keys.length);
        for (uint256 i = 0; i < t.keys.length; i++) {
            values[i] = keccak256(t.records[i]);
        }
    }
}
