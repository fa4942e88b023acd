// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {SmtProofs} from "./lib/SmtProofs.sol";
import {SparseMerkleLeaf} from "../../src/steps/SparseMerkleLeaf.sol";

/// The library takes calldata proofs, as the verifier receives them.
contract LeafHarness {
    function rootOf(bytes32 key, bytes32 valueHash, bytes32[] calldata siblings, bytes32 otherKey, bytes32 otherValueHash)
        external
        pure
        returns (bool ok, bytes32 root)
    {
        return SparseMerkleLeaf.rootOf(key, valueHash, siblings, otherKey, otherValueHash);
    }

    function rootsOfWrite(
        bytes32 key,
        bytes32 valueHash,
        bytes32 newValueHash,
        bytes32[] calldata siblings,
        bytes32 otherKey,
        bytes32 otherValueHash
    ) external pure returns (bool ok, bytes32 before, bytes32 afterWrite) {
        return SparseMerkleLeaf.rootsOfWrite(key, valueHash, newValueHash, siblings, otherKey, otherValueHash);
    }
}

/// Trees written out by hand from docs/state.md's rules: leaf = H(0x00 ‖ key ‖ valueHash), inner = H(0x01 ‖ left ‖
/// right), bit i (MSB of byte 0 first) picks the side at depth i, a one-key subtree is its leaf.
contract SparseMerkleLeafTest is StepsTest {
    LeafHarness internal h;

    // Keys named by their first bits; the low bytes make them look like any other key.
    bytes32 internal constant A = bytes32(uint256(0x00) << 248 | 0xa1); // 000…
    bytes32 internal constant B = bytes32(uint256(0x20) << 248 | 0xb2); // 001…
    bytes32 internal constant C = bytes32(uint256(0x40) << 248 | 0xc3); // 010…
    bytes32 internal constant D = bytes32(uint256(0x80) << 248 | 0xd4); // 100…
    bytes32 internal constant E = bytes32(uint256(0xc0) << 248 | 0xe5); // 110…
    bytes32 internal constant F = bytes32(uint256(0xe0) << 248 | 0xf6); // 111…

    bytes32 internal constant VA = keccak256("a");
    bytes32 internal constant VB = keccak256("b");
    bytes32 internal constant VC = keccak256("c");
    bytes32 internal constant VD = keccak256("d");
    bytes32 internal constant VE = keccak256("e");
    bytes32 internal constant VF = keccak256("f");
    bytes32 internal constant V2 = keccak256("new value");

    function setUp() public {
        h = new LeafHarness();
    }

    function leaf(bytes32 key, bytes32 valueHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"00", key, valueHash));
    }

    function inner(bytes32 left, bytes32 right) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"01", left, right));
    }

    function sib(bytes32 a) internal pure returns (bytes32[] memory s) {
        s = new bytes32[](1);
        s[0] = a;
    }

    function sib(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory s) {
        s = new bytes32[](2);
        (s[0], s[1]) = (a, b);
    }

    function sib(bytes32 a, bytes32 b, bytes32 c) internal pure returns (bytes32[] memory s) {
        s = new bytes32[](3);
        (s[0], s[1], s[2]) = (a, b, c);
    }

    // ---- one key ----

    function test_insertIntoTheEmptyTree() public view {
        (bool ok, bytes32 before, bytes32 afterWrite) = h.rootsOfWrite(A, 0, VA, new bytes32[](0), 0, 0);
        assertTrue(ok, "absence in the empty tree");
        assertEq(before, bytes32(0), "the empty tree's root");
        assertEq(afterWrite, leaf(A, VA), "a one-key tree is its leaf");
    }

    function test_oneKeyTreeProvesItsKeyAndAnotherKeysAbsence() public view {
        (bool ok, bytes32 root) = h.rootOf(A, VA, new bytes32[](0), 0, 0);
        assertTrue(ok && root == leaf(A, VA), "A present");
        (ok, root) = h.rootOf(D, 0, new bytes32[](0), A, VA);
        assertTrue(ok && root == leaf(A, VA), "D absent: the path ends in A's leaf at the root");
    }

    function test_updateTheOnlyKey() public view {
        (bool ok, bytes32 before, bytes32 afterWrite) = h.rootsOfWrite(A, VA, V2, new bytes32[](0), 0, 0);
        assertTrue(ok, "present");
        assertEq(before, leaf(A, VA), "before");
        assertEq(afterWrite, leaf(A, V2), "after");
    }

    // ---- two keys ----

    function test_insertBelowALeafPartingAtBitZero() public view {
        // {A} + D: A is 0…, D is 1…: root = H(leafA, leafD).
        (bool ok, bytes32 before, bytes32 afterWrite) = h.rootsOfWrite(D, 0, VD, new bytes32[](0), A, VA);
        assertTrue(ok, "absence ends in A");
        assertEq(before, leaf(A, VA), "before");
        assertEq(afterWrite, inner(leaf(A, VA), leaf(D, VD)), "after");
        // Inserted on the left of the other leaf when the new key's bit is 0.
        (ok, before, afterWrite) = h.rootsOfWrite(A, 0, VA, new bytes32[](0), D, VD);
        assertEq(afterWrite, inner(leaf(A, VA), leaf(D, VD)), "after, the other way round");
    }

    function test_insertBelowALeafWithALongSharedPrefix() public view {
        // Two keys equal in their first 200 bits, differing at bit 200 (0 for P, 1 for Q).
        bytes32 p = bytes32(uint256(keccak256("prefix")) & ~(uint256(1) << 55));
        bytes32 q = bytes32(uint256(p) | (uint256(1) << 55));
        // From the rules: an inner node at depth 200 holds both leaves; every depth 0..199 above it is an inner
        // node whose other child is empty, on the side given by the shared bit.
        bytes32 node = inner(leaf(p, VA), leaf(q, VB));
        for (uint256 d = 200; d > 0; d--) {
            bool bit = (uint256(p) >> (256 - d)) & 1 == 1;
            node = bit ? inner(bytes32(0), node) : inner(node, bytes32(0));
        }
        (bool ok, bytes32 before, bytes32 afterWrite) = h.rootsOfWrite(q, 0, VB, new bytes32[](0), p, VA);
        assertTrue(ok, "absence ends in p's leaf at the root");
        assertEq(before, leaf(p, VA), "before");
        assertEq(afterWrite, node, "after: 200 empty siblings above the pair");

        // The same tree's proofs for both keys, now 201 siblings deep.
        bytes32[] memory path = new bytes32[](201);
        path[200] = leaf(q, VB);
        (ok, before) = h.rootOf(p, VA, path, 0, 0);
        assertTrue(ok && before == node, "p present under 200 empty siblings");
        // And an update of q under that path.
        path[200] = leaf(p, VA);
        (ok, before, afterWrite) = h.rootsOfWrite(q, VB, V2, path, 0, 0);
        assertTrue(ok && before == node, "q present");
        bytes32 updated = inner(leaf(p, VA), leaf(q, V2));
        for (uint256 d = 200; d > 0; d--) {
            bool bit = (uint256(p) >> (256 - d)) & 1 == 1;
            updated = bit ? inner(bytes32(0), updated) : inner(updated, bytes32(0));
        }
        assertEq(afterWrite, updated, "q updated");

        // The independent top-down builder agrees on the two-key tree.
        bytes32[] memory keys = new bytes32[](2);
        bytes32[] memory values = new bytes32[](2);
        (keys[0], keys[1], values[0], values[1]) = (p, q, VA, VB);
        assertEq(SmtProofs.root(keys, values), node, "builder");
    }

    // ---- three keys ----

    function test_threeKeys() public view {
        // {A, D} = H(leafA, leafD). Insert C (010…): its path goes left at bit 0 to A's leaf (A shares bit 0), so
        // A and C hang below an inner node at bit 1: H(H(leafA, leafC), leafD).
        bytes32 two = inner(leaf(A, VA), leaf(D, VD));
        (bool ok, bytes32 before, bytes32 afterWrite) = h.rootsOfWrite(C, 0, VC, sib(leaf(D, VD)), A, VA);
        assertTrue(ok, "absence of C ends in A at depth 1");
        assertEq(before, two, "before");
        bytes32 three = inner(inner(leaf(A, VA), leaf(C, VC)), leaf(D, VD));
        assertEq(afterWrite, three, "after");

        // Update D in the three-key tree.
        (ok, before, afterWrite) = h.rootsOfWrite(D, VD, V2, sib(inner(leaf(A, VA), leaf(C, VC))), 0, 0);
        assertTrue(ok && before == three, "D present");
        assertEq(afterWrite, inner(inner(leaf(A, VA), leaf(C, VC)), leaf(D, V2)), "D updated");
    }

    // ---- five keys ----

    /// {A 000, B 001, C 010, D 100, E 110}: AB part at bit 2, (AB)C at bit 1, DE at bit 1, everything at bit 0.
    function fiveKeyRoot() internal pure returns (bytes32) {
        bytes32 ab = inner(leaf(A, VA), leaf(B, VB));
        return inner(inner(ab, leaf(C, VC)), inner(leaf(D, VD), leaf(E, VE)));
    }

    function test_fiveKeysInsertIntoAnEmptyPlace() public view {
        // Without C, the subtree 0… is H(H(leafA, leafB), 0): C's path (0, 1) ends in nothing at depth 2.
        bytes32 ab = inner(leaf(A, VA), leaf(B, VB));
        bytes32 de = inner(leaf(D, VD), leaf(E, VE));
        bytes32 four = inner(inner(ab, bytes32(0)), de);
        (bool ok, bytes32 before, bytes32 afterWrite) = h.rootsOfWrite(C, 0, VC, sib(de, ab), 0, 0);
        assertTrue(ok, "C absent, ends in nothing");
        assertEq(before, four, "four keys");
        assertEq(afterWrite, fiveKeyRoot(), "five keys");
    }

    function test_fiveKeysUpdateAndProofs() public view {
        bytes32 root = fiveKeyRoot();
        bytes32 de = inner(leaf(D, VD), leaf(E, VE));
        (bool ok, bytes32 computed) = h.rootOf(A, VA, sib(de, leaf(C, VC), leaf(B, VB)), 0, 0);
        assertTrue(ok && computed == root, "A at depth 3");
        (ok, computed) = h.rootOf(E, VE, sib(inner(inner(leaf(A, VA), leaf(B, VB)), leaf(C, VC)), leaf(D, VD)), 0, 0);
        assertTrue(ok && computed == root, "E at depth 2");

        (bool wrote, bytes32 before, bytes32 afterWrite) =
            h.rootsOfWrite(B, VB, V2, sib(de, leaf(C, VC), leaf(A, VA)), 0, 0);
        assertTrue(wrote && before == root, "B present");
        assertEq(
            afterWrite,
            inner(inner(inner(leaf(A, VA), leaf(B, V2)), leaf(C, VC)), de),
            "B updated, nothing else moved"
        );
    }

    function test_fiveKeysInsertBelowAnotherLeaf() public view {
        // F (111…) goes right, right, to E's leaf (110…) at depth 2; they part at bit 2.
        bytes32 left = inner(inner(leaf(A, VA), leaf(B, VB)), leaf(C, VC));
        (bool ok, bytes32 before, bytes32 afterWrite) = h.rootsOfWrite(F, 0, VF, sib(left, leaf(D, VD)), E, VE);
        assertTrue(ok && before == fiveKeyRoot(), "F absent, ends in E");
        assertEq(afterWrite, inner(left, inner(leaf(D, VD), inner(leaf(E, VE), leaf(F, VF)))), "six keys");
    }

    // ---- what must fail ----

    function test_aProofForAnotherKeyDoesNotLeadToTheRoot() public view {
        bytes32 root = fiveKeyRoot();
        bytes32 de = inner(leaf(D, VD), leaf(E, VE));
        // A's proof, claimed for B with A's value: same siblings, B's bit 2 folds the other way.
        (bool ok, bytes32 computed) = h.rootOf(B, VA, sib(de, leaf(C, VC), leaf(B, VB)), 0, 0);
        assertTrue(!ok || computed != root, "A's proof for B");
        // A's proof with B's value.
        (ok, computed) = h.rootOf(A, VB, sib(de, leaf(C, VC), leaf(B, VB)), 0, 0);
        assertTrue(!ok || computed != root, "A's proof with another value");
        // A's proof as an absence proof of A.
        (ok, computed) = h.rootOf(A, 0, sib(de, leaf(C, VC), leaf(B, VB)), 0, 0);
        assertTrue(!ok || computed != root, "A absent");
    }

    function test_aFlippedSiblingBitFails() public view {
        bytes32 root = fiveKeyRoot();
        bytes32 de = inner(leaf(D, VD), leaf(E, VE));
        bytes32[] memory siblings = sib(de, leaf(C, VC), leaf(B, VB));
        for (uint256 i = 0; i < 3; i++) {
            for (uint256 bit = 0; bit < 256; bit += 51) {
                bytes32 saved = siblings[i];
                siblings[i] = bytes32(uint256(saved) ^ (uint256(1) << bit));
                (bool ok, bytes32 computed) = h.rootOf(A, VA, siblings, 0, 0);
                assertTrue(ok && computed != root, "a flipped bit changes the root");
                (bool wrote, bytes32 before,) = h.rootsOfWrite(A, VA, V2, siblings, 0, 0);
                assertTrue(wrote && before != root, "and the root before a write");
                siblings[i] = saved;
            }
        }
    }

    function test_refusedEndings() public view {
        bytes32 de = inner(leaf(D, VD), leaf(E, VE));
        bool ok;
        // Present, but the proof also names another leaf.
        (ok,) = h.rootOf(A, VA, sib(de, leaf(C, VC), leaf(B, VB)), A, VA);
        assertFalse(ok, "present with an other leaf");
        (ok,) = h.rootOf(A, VA, sib(de, leaf(C, VC), leaf(B, VB)), 0, VA);
        assertFalse(ok, "present with an other value hash");
        // Absent, ending in the key's own leaf.
        (ok,) = h.rootOf(A, 0, new bytes32[](0), A, VA);
        assertFalse(ok, "absent ending in its own key");
        // Absent, ending in a leaf off the key's path: D (1…) cannot end A's path at depth 1.
        (ok,) = h.rootOf(A, 0, sib(leaf(E, VE)), D, VD);
        assertFalse(ok, "other leaf off the path");
        // A key differing only past the proof's depth is on the path.
        (ok,) = h.rootOf(B, 0, sib(de, leaf(C, VC)), A, VA);
        assertTrue(ok, "other leaf sharing the path");
        // Deeper than a key has bits.
        (ok,) = h.rootOf(A, VA, new bytes32[](257), 0, 0);
        assertFalse(ok, "257 siblings");
        // A write must write something.
        (bool wrote,,) = h.rootsOfWrite(A, VA, 0, new bytes32[](0), 0, 0);
        assertFalse(wrote, "writing a zero value hash");
    }

    // ---- against the top-down builder ----

    function testFuzz_insertAndUpdateMatchTheBuilder(uint256 seed, uint8 count, bool clustered) public view {
        uint256 n = bound(count, 1, 12);
        bytes32[] memory keys = new bytes32[](n + 1);
        bytes32[] memory values = new bytes32[](n + 1);
        bytes32 base = keccak256(abi.encode(seed));
        for (uint256 i = 0; i <= n; i++) {
            bytes32 r = keccak256(abi.encode(seed, i));
            // Clustered keys share a long prefix (they differ in the low 16 bits only).
            keys[i] = clustered ? bytes32((uint256(base) & ~uint256(0xffff)) | (uint256(r) & 0xffff)) : r;
            values[i] = keccak256(abi.encode(r, "value"));
        }
        for (uint256 i = 0; i < n; i++) {
            for (uint256 j = i + 1; j <= n; j++) {
                if (keys[i] == keys[j]) return; // a clustered draw can repeat a key
            }
        }
        // The first n keys are the tree; key n is inserted.
        bytes32[] memory treeKeys = new bytes32[](n);
        bytes32[] memory treeValues = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            (treeKeys[i], treeValues[i]) = (keys[i], values[i]);
        }
        bytes32 root = SmtProofs.root(treeKeys, treeValues);
        SmtProofs.Proof memory p = SmtProofs.prove(treeKeys, treeValues, keys[n]);
        (bool ok, bytes32 before, bytes32 afterWrite) =
            h.rootsOfWrite(keys[n], 0, values[n], p.siblings, p.otherKey, p.otherValueHash);
        require(ok && before == root, "absence proof");
        require(afterWrite == SmtProofs.root(keys, values), "insert");

        // Update key 0 in the grown tree.
        bytes32 updated = keccak256(abi.encode(seed, "updated"));
        p = SmtProofs.prove(keys, values, keys[0]);
        require(p.present, "key 0 present");
        (ok, before, afterWrite) = h.rootsOfWrite(keys[0], values[0], updated, p.siblings, 0, 0);
        require(ok && before == SmtProofs.root(keys, values), "presence proof");
        values[0] = updated;
        require(afterWrite == SmtProofs.root(keys, values), "update");
    }
}
