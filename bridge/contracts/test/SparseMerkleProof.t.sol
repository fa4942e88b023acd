// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Test} from "./lib/Test.sol";
import {Smt} from "./lib/Smt.sol";
import {SparseMerkleProof} from "../src/SparseMerkleProof.sol";

/// The library takes calldata proofs, as the contract receives them.
contract ProofHarness {
    function root(bytes32 key, bytes32 valueHash, bytes32[] calldata siblings) external pure returns (bytes32) {
        return SparseMerkleProof.root(key, valueHash, siblings);
    }
}

contract SparseMerkleProofTest is Test {
    ProofHarness internal harness;

    bytes32 internal constant K0 = bytes32(0); // bits 00...
    bytes32 internal constant K4 = bytes32(uint256(0x40) << 248); // bits 01...
    bytes32 internal constant K8 = bytes32(uint256(0x80) << 248); // bits 10...
    bytes32 internal constant V = keccak256("value");

    function setUp() public {
        harness = new ProofHarness();
    }

    // ---- hand-written trees: the hashing and bit order spelled out ----

    function test_singleLeafTreeIsTheLeafHash() public view {
        bytes32 key = keccak256("only key");
        bytes32 expected = keccak256(abi.encodePacked(hex"00", key, V));
        assertEq(harness.root(key, V, new bytes32[](0)), expected, "root of a one-leaf tree");
    }

    function test_keysPartingAtBitZero() public view {
        bytes32 leaf0 = keccak256(abi.encodePacked(hex"00", K0, V));
        bytes32 leaf8 = keccak256(abi.encodePacked(hex"00", K8, V));
        bytes32 expected = keccak256(abi.encodePacked(hex"01", leaf0, leaf8));
        assertEq(harness.root(K8, V, _one(leaf0)), expected, "right key folds as H(sibling, node)");
        assertEq(harness.root(K0, V, _one(leaf8)), expected, "left key folds as H(node, sibling)");
    }

    function test_keysSharingBitZeroHangUnderAnEmptySibling() public view {
        // K0 and K4 share bit 0 (0) and part at bit 1: root = H(H(leaf0, leaf4), 0).
        bytes32 leaf0 = keccak256(abi.encodePacked(hex"00", K0, V));
        bytes32 leaf4 = keccak256(abi.encodePacked(hex"00", K4, V));
        bytes32 expected = keccak256(abi.encodePacked(hex"01", keccak256(abi.encodePacked(hex"01", leaf0, leaf4)), bytes32(0)));
        bytes32[] memory proof = new bytes32[](2);
        proof[0] = bytes32(0);
        proof[1] = leaf4;
        assertEq(harness.root(K0, V, proof), expected, "proof through an empty sibling");
    }

    function test_threeKeysAgainstTheBuilder() public pure {
        bytes32[] memory keys = new bytes32[](3);
        bytes32[] memory values = new bytes32[](3);
        (keys[0], keys[1], keys[2]) = (K8, K0, K4);
        (values[0], values[1], values[2]) = (keccak256("8"), keccak256("0"), keccak256("4"));
        bytes32 l0 = Smt.leaf(K0, values[1]);
        bytes32 l4 = Smt.leaf(K4, values[2]);
        bytes32 l8 = Smt.leaf(K8, values[0]);
        assertEq(Smt.root(keys, values), Smt.inner(Smt.inner(l0, l4), l8), "builder root");
        bytes32[] memory proof = Smt.proof(keys, values, K4);
        assertEq(proof.length, 2, "K4 sits at depth 2");
        assertEq(proof[0], l8, "sibling at depth 0");
        assertEq(proof[1], l0, "sibling at depth 1");
    }

    function test_keysPartingAtTheLastBitUse256Siblings() public view {
        bytes32 a = keccak256("deep");
        bytes32 b = a ^ bytes32(uint256(1));
        bytes32[] memory keys = new bytes32[](2);
        bytes32[] memory values = new bytes32[](2);
        (keys[0], keys[1], values[0], values[1]) = (a, b, keccak256("a"), keccak256("b"));
        bytes32[] memory proof = Smt.proof(keys, values, a);
        assertEq(proof.length, 256, "depth");
        assertEq(proof[255], Smt.leaf(b, values[1]), "the other key is the deepest sibling");
        assertEq(harness.root(a, values[0], proof), Smt.root(keys, values), "folds to the root");
    }

    function test_moreThan256SiblingsAreRefused() public {
        vm.expectRevert(abi.encodeWithSelector(SparseMerkleProof.ProofTooLong.selector, 257));
        harness.root(K0, V, new bytes32[](257));
    }

    // ---- random trees of 1 to 8 keys ----

    function testFuzz_everyKeyProvesItsValue(uint256 seed, uint8 sizeSeed) public view {
        (bytes32[] memory keys, bytes32[] memory values) = _randomTree(seed, 1 + sizeSeed % 8);
        bytes32 root = Smt.root(keys, values);
        for (uint256 i = 0; i < keys.length; i++) {
            bytes32[] memory proof = Smt.proof(keys, values, keys[i]);
            assertEq(harness.root(keys[i], values[i], proof), root, "proof folds to the root");
        }
    }

    function testFuzz_wrongValueOrSiblingChangesTheRoot(uint256 seed, uint8 sizeSeed, uint256 pick) public view {
        (bytes32[] memory keys, bytes32[] memory values) = _randomTree(seed, 2 + sizeSeed % 7);
        bytes32 root = Smt.root(keys, values);
        uint256 i = pick % keys.length;
        bytes32[] memory proof = Smt.proof(keys, values, keys[i]);
        assertNotEq(harness.root(keys[i], keccak256(abi.encode(values[i])), proof), root, "another value");
        assertNotEq(harness.root(keys[(i + 1) % keys.length], values[i], proof), root, "another key");
        proof[pick % proof.length] ^= bytes32(uint256(1));
        assertNotEq(harness.root(keys[i], values[i], proof), root, "a changed sibling");
    }

    /// Keys sharing long prefixes: one base key with a few bits changed at a random depth.
    function testFuzz_closeKeys(uint256 seed, uint8 sizeSeed) public view {
        uint256 n = 2 + sizeSeed % 7;
        bytes32 base = keccak256(abi.encode(seed));
        bytes32[] memory keys = new bytes32[](n);
        bytes32[] memory values = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            keys[i] = base ^ bytes32(i << (seed % 250));
            values[i] = keccak256(abi.encode(seed, i));
        }
        bytes32 root = Smt.root(keys, values);
        for (uint256 i = 0; i < n; i++) {
            assertEq(harness.root(keys[i], values[i], Smt.proof(keys, values, keys[i])), root, "close key");
        }
    }

    function testFuzz_foldMatchesTheTestFold(bytes32 key, bytes32 valueHash, bytes32[] memory siblings) public view {
        vm.assume(siblings.length <= 256);
        assertEq(harness.root(key, valueHash, siblings), Smt.fold(key, valueHash, siblings), "same fold");
    }

    function _randomTree(uint256 seed, uint256 n) private pure returns (bytes32[] memory keys, bytes32[] memory values) {
        keys = new bytes32[](n);
        values = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            keys[i] = keccak256(abi.encode("key", seed, i));
            values[i] = keccak256(abi.encode("value", seed, i));
        }
    }

    function _one(bytes32 x) private pure returns (bytes32[] memory a) {
        a = new bytes32[](1);
        a[0] = x;
    }
}
