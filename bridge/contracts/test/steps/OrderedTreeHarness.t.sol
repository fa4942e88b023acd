// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {OrderedTree} from "../../src/steps/OrderedTree.sol";

/// @notice OrderedTree's functions behind external calls, so that the tests hand it calldata proofs as a verifier
/// receives them. The `gas…` twins return what the library call alone costs, for OrderedTreeGas.t.sol.
contract OrderedTreeHarness {
    function rootOf(OrderedTree.Proof calldata p, bytes32 key) external pure returns (bytes32, uint256, uint256) {
        return OrderedTree.rootOf(p, key);
    }

    function verifyPresent(bytes32 root, OrderedTree.Proof calldata p, bytes32 key, bytes32 valueHash, uint64 size)
        external
        pure
        returns (bool)
    {
        return OrderedTree.verifyPresent(root, p, key, valueHash, size);
    }

    function verifyAbsent(bytes32 root, OrderedTree.Proof calldata p, bytes32 key) external pure returns (bool) {
        return OrderedTree.verifyAbsent(root, p, key);
    }

    function rootsOfWrite(OrderedTree.Proof calldata p, bytes32 key, bytes32 valueHash, uint64 size)
        external
        pure
        returns (bytes32, bytes32, uint256, uint256)
    {
        return OrderedTree.rootsOfWrite(p, key, valueHash, size);
    }

    function rootsOfDelete(OrderedTree.Proof calldata p, bytes32 key)
        external
        pure
        returns (bytes32, bytes32, uint256, uint256)
    {
        return OrderedTree.rootsOfDelete(p, key);
    }

    function prefixCountAndSize(OrderedTree.Proof calldata p, bytes32 key) external pure returns (uint256, uint256) {
        return OrderedTree.prefixCountAndSize(p, key);
    }

    function isLeftmost(OrderedTree.Proof calldata p, bytes32 key) external pure returns (bool) {
        return OrderedTree.isLeftmost(p, key);
    }

    function isRightmost(OrderedTree.Proof calldata p, bytes32 key) external pure returns (bool) {
        return OrderedTree.isRightmost(p, key);
    }

    function gasVerifyPresent(bytes32 root, OrderedTree.Proof calldata p, bytes32 key, bytes32 valueHash, uint64 size)
        external
        view
        returns (uint256 used)
    {
        used = gasleft();
        bool ok = OrderedTree.verifyPresent(root, p, key, valueHash, size);
        used -= gasleft();
        require(ok, "gasVerifyPresent: the proof does not hold");
    }

    function gasWrite(bytes32 root, OrderedTree.Proof calldata p, bytes32 key, bytes32 valueHash, uint64 size)
        external
        view
        returns (uint256 used)
    {
        used = gasleft();
        (bytes32 before,,,) = OrderedTree.rootsOfWrite(p, key, valueHash, size);
        used -= gasleft();
        require(before == root, "gasWrite: the proof does not hold");
    }

    function gasDelete(bytes32 root, OrderedTree.Proof calldata p, bytes32 key) external view returns (uint256 used) {
        used = gasleft();
        (bytes32 before,,,) = OrderedTree.rootsOfDelete(p, key);
        used -= gasleft();
        require(before == root, "gasDelete: the proof does not hold");
    }

    function gasPrefix(OrderedTree.Proof calldata p, bytes32 key) external view returns (uint256 used) {
        used = gasleft();
        OrderedTree.prefixCountAndSize(p, key);
        used -= gasleft();
    }

    function gasLeftmost(OrderedTree.Proof calldata p, bytes32 key) external view returns (uint256 used) {
        used = gasleft();
        OrderedTree.isLeftmost(p, key);
        used -= gasleft();
    }
}

/// @notice The ordered tree's rules written out for tests, sharing no code with the library: nodes in memory, hashes
/// by abi.encodePacked, and proofs assembled from them.
library OrderedTreeRules {
    struct N {
        bytes32 hash;
        uint256 count;
        uint256 size;
    }

    function empty() internal pure returns (N memory) {
        return N(bytes32(0), 0, 0);
    }

    function leaf(bytes32 key, bytes32 valueHash, uint64 size) internal pure returns (N memory) {
        return N(keccak256(abi.encodePacked(uint8(0x00), key, valueHash, size)), 1, size);
    }

    function inner(uint8 bit, N memory l, N memory r) internal pure returns (N memory) {
        uint256 count = l.count + r.count;
        uint256 size = l.size + r.size;
        return N(keccak256(abi.encodePacked(uint8(0x01), bit, l.hash, r.hash, uint32(count), uint64(size))), count, size);
    }

    function step(uint8 bit, N memory sibling) internal pure returns (OrderedTree.Step memory) {
        return OrderedTree.Step(bit, sibling.hash, uint32(sibling.count), uint64(sibling.size));
    }

    function endingIn(OrderedTree.Step[] memory steps, bytes32 key, bytes32 valueHash, uint64 size)
        internal
        pure
        returns (OrderedTree.Proof memory p)
    {
        p.steps = steps;
        (p.endsInLeaf, p.leafKey, p.leafValueHash, p.leafSize) = (true, key, valueHash, size);
    }

    function endingInNothing(OrderedTree.Step[] memory steps) internal pure returns (OrderedTree.Proof memory p) {
        p.steps = steps;
    }
}
