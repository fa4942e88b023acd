// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {OrderedTree} from "../../src/steps/OrderedTree.sol";
import {OrderedTreeHarness, OrderedTreeRules as R} from "./OrderedTreeHarness.t.sol";

/// Trees of one, two, three and five leaves written out by hand from the rules (OrderedTreeRules: leaf =
/// H(0x00 ‖ key ‖ valueHash ‖ u64 size), inner = H(0x01 ‖ left ‖ right ‖ u32 count ‖ u64 size), bit i from the most
/// significant picks the side at depth i, a one-leaf subtree is its leaf), their proofs by hand, and what the library
/// makes of them.
contract OrderedTreeTest is StepsTest {
    OrderedTreeHarness internal h;

    // Keys named by their first bits; the low byte makes each look like any other key.
    bytes32 internal constant A = bytes32(uint256(0x10) << 248 | 0xa1); // 0001 0000
    bytes32 internal constant B = bytes32(uint256(0x20) << 248 | 0xb2); // 0010 0000
    bytes32 internal constant C = bytes32(uint256(0x80) << 248 | 0xc3); // 1000 0000
    bytes32 internal constant D = bytes32(uint256(0xc0) << 248 | 0xd4); // 1100 0000
    bytes32 internal constant E = bytes32(uint256(0xc1) << 248 | 0xe5); // 1100 0001: D's first 7 bits
    bytes32 internal constant G = bytes32(uint256(0x40) << 248 | 0x97); // 0100 0000: in no tree here
    bytes32 internal constant ONES = bytes32(type(uint256).max);

    bytes32 internal constant VA = keccak256("a");
    bytes32 internal constant VB = keccak256("b");
    bytes32 internal constant VC = keccak256("c");
    bytes32 internal constant VD = keccak256("d");
    bytes32 internal constant VE = keccak256("e");
    bytes32 internal constant V2 = keccak256("new value");

    uint64 internal constant SA = 100;
    uint64 internal constant SB = 20;
    uint64 internal constant SC = 3;
    uint64 internal constant SD = 4000;
    uint64 internal constant SE = 50000;

    function setUp() public {
        h = new OrderedTreeHarness();
    }

    function lA() internal pure returns (R.N memory) {
        return R.leaf(A, VA, SA);
    }

    function lB() internal pure returns (R.N memory) {
        return R.leaf(B, VB, SB);
    }

    function lC() internal pure returns (R.N memory) {
        return R.leaf(C, VC, SC);
    }

    function lD() internal pure returns (R.N memory) {
        return R.leaf(D, VD, SD);
    }

    function lE() internal pure returns (R.N memory) {
        return R.leaf(E, VE, SE);
    }

    function o() internal pure returns (R.N memory) {
        return R.empty();
    }

    /// {A, B} split at bit 2 (depth 2), under an inner node at depth 1 whose right child is empty (both have bit 1 = 0).
    function ab() internal pure returns (R.N memory) {
        return R.inner(lA(), lB());
    }

    function leftAB() internal pure returns (R.N memory) {
        return R.inner(ab(), o());
    }

    /// {D, E} split at bit 7, wrapped by the five inner nodes at depths 2 to 6 whose right child is empty.
    function de() internal pure returns (R.N memory) {
        return R.wrap(R.inner(lD(), lE()), 5, false);
    }

    function t2() internal pure returns (R.N memory) {
        return R.inner(lA(), lC());
    }

    function t3() internal pure returns (R.N memory) {
        return R.inner(leftAB(), lC());
    }

    function t4() internal pure returns (R.N memory) {
        return R.inner(leftAB(), R.inner(lC(), lD()));
    }

    function t5() internal pure returns (R.N memory) {
        return R.inner(leftAB(), R.inner(lC(), de()));
    }

    function s(R.N memory a) internal pure returns (R.N[] memory x) {
        x = new R.N[](1);
        x[0] = a;
    }

    function s(R.N memory a, R.N memory b) internal pure returns (R.N[] memory x) {
        x = new R.N[](2);
        (x[0], x[1]) = (a, b);
    }

    function s(R.N memory a, R.N memory b, R.N memory c) internal pure returns (R.N[] memory x) {
        x = new R.N[](3);
        (x[0], x[1], x[2]) = (a, b, c);
    }

    /// D's or E's path in the five-leaf tree: left {A, B}, C, five empty siblings, then the other of the two.
    function pathToDE(R.N memory other) internal pure returns (R.N[] memory x) {
        x = new R.N[](8);
        (x[0], x[1], x[7]) = (leftAB(), lC(), other);
        for (uint256 i = 2; i < 7; i++) {
            x[i] = o();
        }
    }

    function withDeepest(OrderedTree.Proof memory p, bytes32 key, bytes32 valueHash)
        internal
        pure
        returns (OrderedTree.Proof memory)
    {
        (p.deepestSiblingKey, p.deepestSiblingValueHash) = (key, valueHash);
        return p;
    }

    function assertRoot(OrderedTree.Proof memory p, bytes32 key, R.N memory expected, string memory what) internal view {
        (bytes32 hash, uint256 count, uint256 size) = h.rootOf(p, key);
        assertEq(hash, expected.hash, string.concat(what, ": hash"));
        assertEq(count, expected.count, string.concat(what, ": count"));
        assertEq(size, expected.size, string.concat(what, ": size"));
    }

    function assertWrite(
        OrderedTree.Proof memory p,
        bytes32 key,
        bytes32 valueHash,
        uint64 size,
        R.N memory before,
        R.N memory expected,
        string memory what
    ) internal view {
        (bytes32 b, bytes32 hash, uint256 count, uint256 total) = h.rootsOfWrite(p, key, valueHash, size);
        assertEq(b, before.hash, string.concat(what, ": before"));
        assertEq(hash, expected.hash, string.concat(what, ": after"));
        assertEq(count, expected.count, string.concat(what, ": count after"));
        assertEq(total, expected.size, string.concat(what, ": size after"));
    }

    function assertDelete(OrderedTree.Proof memory p, bytes32 key, R.N memory before, R.N memory expected, string memory what)
        internal
        view
    {
        (bytes32 b, bytes32 hash, uint256 count, uint256 total) = h.rootsOfDelete(p, key);
        assertEq(b, before.hash, string.concat(what, ": before"));
        assertEq(hash, expected.hash, string.concat(what, ": after"));
        assertEq(count, expected.count, string.concat(what, ": count after"));
        assertEq(total, expected.size, string.concat(what, ": size after"));
    }

    function assertOrder(
        OrderedTree.Proof memory p,
        bytes32 key,
        uint256 count,
        uint256 size,
        bool leftmost,
        bool rightmost,
        string memory what
    ) internal view {
        (uint256 c, uint256 z) = h.prefixCountAndSize(p, key);
        assertEq(c, count, string.concat(what, ": prefix count"));
        assertEq(z, size, string.concat(what, ": prefix size"));
        assertTrue(h.isLeftmost(p, key) == leftmost, string.concat(what, ": leftmost"));
        assertTrue(h.isRightmost(p, key) == rightmost, string.concat(what, ": rightmost"));
    }

    // ---- nothing and one leaf ----

    function test_emptyTree() public view {
        OrderedTree.Proof memory p = R.endingInNothing(new R.N[](0));
        assertRoot(p, A, o(), "empty");
        assertTrue(h.verifyAbsent(bytes32(0), p, A), "A absent");
        assertFalse(h.verifyPresent(bytes32(0), p, A, VA, SA), "A not present");
        assertWrite(p, A, VA, SA, o(), lA(), "insert into nothing: the tree is the leaf");
        assertOrder(p, A, 0, 0, true, true, "the empty tree's order");
    }

    function test_oneLeaf() public view {
        R.N memory t1 = lC();
        OrderedTree.Proof memory ofC = R.endingIn(new R.N[](0), C, VC, SC);
        assertTrue(h.verifyPresent(t1.hash, ofC, C, VC, SC), "C present");
        assertDelete(ofC, C, t1, o(), "delete the only leaf");
        assertWrite(ofC, C, V2, 9, t1, R.leaf(C, V2, 9), "update");
        assertOrder(ofC, C, 0, 0, true, true, "C alone");

        // A's path ends in C's leaf at the root: A absent, and A's insert parts the two at bit 0.
        assertTrue(h.verifyAbsent(t1.hash, ofC, A), "A absent");
        assertWrite(ofC, A, VA, SA, t1, t2(), "insert A");
        assertOrder(ofC, A, 0, 0, true, false, "A before C");
        assertOrder(ofC, ONES, 1, SC, false, true, "all ones after C");
    }

    // ---- two leaves ----

    function test_twoLeaves() public view {
        R.N memory t = t2();
        OrderedTree.Proof memory ofA = withDeepest(R.endingIn(s(lC()), A, VA, SA), C, VC);
        OrderedTree.Proof memory ofC = withDeepest(R.endingIn(s(lA()), C, VC, SC), A, VA);
        assertTrue(h.verifyPresent(t.hash, ofA, A, VA, SA), "A present");
        assertTrue(h.verifyPresent(t.hash, ofC, C, VC, SC), "C present");
        assertRoot(ofA, A, t, "root and sums");
        assertDelete(ofA, A, t, lC(), "delete A: C rises to the root");
        assertDelete(ofC, C, t, lA(), "delete C: A rises to the root");
        assertOrder(ofA, A, 0, 0, true, false, "A");
        assertOrder(ofC, C, 1, SA, false, true, "C");

        // B's path ends in A's leaf at depth 1; A and B part at bit 2, under an inner node at depth 1 with an empty right.
        assertTrue(h.verifyAbsent(t.hash, ofA, B), "B absent");
        assertWrite(ofA, B, VB, SB, t, t3(), "insert B beside A");
        assertOrder(ofA, B, 1, SA, false, false, "B between A and C");
    }

    // ---- three leaves ----

    function test_threeLeaves() public view {
        R.N memory t = t3();
        OrderedTree.Proof memory ofA = withDeepest(R.endingIn(s(lC(), o(), lB()), A, VA, SA), B, VB);
        OrderedTree.Proof memory ofB = withDeepest(R.endingIn(s(lC(), o(), lA()), B, VB, SB), A, VA);
        OrderedTree.Proof memory ofC = R.endingIn(s(leftAB()), C, VC, SC);
        assertTrue(h.verifyPresent(t.hash, ofA, A, VA, SA), "A present");
        assertTrue(h.verifyPresent(t.hash, ofB, B, VB, SB), "B present");
        assertTrue(h.verifyPresent(t.hash, ofC, C, VC, SC), "C present");

        // B rises past the empty sibling at depth 1 to be C's sibling at depth 1.
        assertDelete(ofA, A, t, R.inner(lB(), lC()), "delete A");
        assertDelete(ofB, B, t, R.inner(lA(), lC()), "delete B");
        // {A, B} holds two leaves, so it stays where it is, beside an empty place.
        assertDelete(ofC, C, t, R.inner(leftAB(), o()), "delete C");

        // G (01…) ends in the empty right child at depth 2.
        OrderedTree.Proof memory ofG = R.endingInNothing(s(lC(), ab()));
        assertTrue(h.verifyAbsent(t.hash, ofG, G), "G absent");
        assertWrite(ofG, G, V2, 7, t, R.inner(R.inner(ab(), R.leaf(G, V2, 7)), lC()), "insert G into the empty place");
        assertOrder(ofG, G, 2, SA + SB, false, false, "G after A and B");

        // D (11…) ends in C's leaf at depth 1.
        assertWrite(ofC, D, VD, SD, t, t4(), "insert D beside C");
        assertOrder(ofB, B, 1, SA, false, false, "B");
        assertOrder(ofC, C, 2, SA + SB, false, true, "C last");
    }

    // ---- five leaves ----

    function test_fiveLeavesProofsAndOrder() public view {
        R.N memory t = t5();
        R.N memory rightCDE = R.inner(lC(), de());
        OrderedTree.Proof memory ofA = withDeepest(R.endingIn(s(rightCDE, o(), lB()), A, VA, SA), B, VB);
        OrderedTree.Proof memory ofB = withDeepest(R.endingIn(s(rightCDE, o(), lA()), B, VB, SB), A, VA);
        OrderedTree.Proof memory ofC = R.endingIn(s(leftAB(), de()), C, VC, SC);
        OrderedTree.Proof memory ofD = withDeepest(R.endingIn(pathToDE(lE()), D, VD, SD), E, VE);
        OrderedTree.Proof memory ofE = withDeepest(R.endingIn(pathToDE(lD()), E, VE, SE), D, VD);
        assertTrue(h.verifyPresent(t.hash, ofA, A, VA, SA), "A present");
        assertTrue(h.verifyPresent(t.hash, ofB, B, VB, SB), "B present");
        assertTrue(h.verifyPresent(t.hash, ofC, C, VC, SC), "C present");
        assertTrue(h.verifyPresent(t.hash, ofD, D, VD, SD), "D present, 8 deep");
        assertTrue(h.verifyPresent(t.hash, ofE, E, VE, SE), "E present, 8 deep");
        assertRoot(ofD, D, t, "five leaves' sums");

        assertOrder(ofA, A, 0, 0, true, false, "A");
        assertOrder(ofB, B, 1, SA, false, false, "B");
        assertOrder(ofC, C, 2, SA + SB, false, false, "C");
        assertOrder(ofD, D, 3, SA + SB + SC, false, false, "D");
        assertOrder(ofE, E, 4, SA + SB + SC + SD, false, true, "E");

        // Absent keys: G between B and C (ends in nothing), zero before A (ends in A), all ones after E (ends in
        // nothing at depth 3, where the chain above D and E goes left).
        OrderedTree.Proof memory ofG = R.endingInNothing(s(rightCDE, ab()));
        assertTrue(h.verifyAbsent(t.hash, ofG, G), "G absent");
        assertOrder(ofG, G, 2, SA + SB, false, false, "G");
        assertTrue(h.verifyAbsent(t.hash, ofA, bytes32(0)), "zero absent");
        assertOrder(ofA, bytes32(0), 0, 0, true, false, "zero");
        OrderedTree.Proof memory ofOnes = R.endingInNothing(s(leftAB(), lC(), R.wrap(R.inner(lD(), lE()), 4, false)));
        assertTrue(h.verifyAbsent(t.hash, ofOnes, ONES), "all ones absent");
        assertOrder(ofOnes, ONES, 5, SA + SB + SC + SD + SE, false, true, "all ones");
    }

    function test_fiveLeavesWritesAndDeletes() public view {
        R.N memory t = t5();
        R.N memory rightCDE = R.inner(lC(), de());
        OrderedTree.Proof memory ofA = withDeepest(R.endingIn(s(rightCDE, o(), lB()), A, VA, SA), B, VB);
        OrderedTree.Proof memory ofC = R.endingIn(s(leftAB(), de()), C, VC, SC);
        OrderedTree.Proof memory ofD = withDeepest(R.endingIn(pathToDE(lE()), D, VD, SD), E, VE);
        OrderedTree.Proof memory ofE = withDeepest(R.endingIn(pathToDE(lD()), E, VE, SE), D, VD);

        // E rises from depth 8 past five empty siblings to be C's sibling at depth 2; likewise D.
        assertDelete(ofD, D, t, R.inner(leftAB(), R.inner(lC(), lE())), "delete D");
        assertDelete(ofE, E, t, t4(), "delete E");
        // B rises past the empty sibling at depth 1.
        assertDelete(ofA, A, t, R.inner(lB(), rightCDE), "delete A");
        // {D, E} holds two: C's place empties.
        assertDelete(ofC, C, t, R.inner(leftAB(), R.inner(o(), de())), "delete C");

        R.N memory updated = R.inner(leftAB(), R.inner(lC(), R.wrap(R.inner(R.leaf(D, V2, 1), lE()), 5, false)));
        assertWrite(ofD, D, V2, 1, t, updated, "update D");

        // From four leaves, E's path ends in D's leaf at depth 2; they part at bit 7, five empty siblings between.
        OrderedTree.Proof memory eInFour = R.endingIn(s(leftAB(), lC()), D, VD, SD);
        assertTrue(h.verifyAbsent(t4().hash, eInFour, E), "E absent from four");
        assertWrite(eInFour, E, VE, SE, t4(), t, "insert E");
    }

    // ---- what must be refused ----

    function test_tamperedProofsDoNotVerify() public view {
        R.N memory t = t5();
        OrderedTree.Proof memory ofD = withDeepest(R.endingIn(pathToDE(lE()), D, VD, SD), E, VE);
        for (uint256 i = 0; i < ofD.siblings.length; i++) {
            OrderedTree.Node memory kept = ofD.siblings[i];
            ofD.siblings[i] = OrderedTree.Node(bytes32(uint256(kept.hash) ^ 1), kept.count, kept.size);
            assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD), string.concat("flipped bit, sibling ", vm.toString(i)));
            ofD.siblings[i] = OrderedTree.Node(kept.hash, kept.count + 1, kept.size);
            assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD), string.concat("count + 1, sibling ", vm.toString(i)));
            ofD.siblings[i] = OrderedTree.Node(kept.hash, kept.count, kept.size + 1);
            assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD), string.concat("size + 1, sibling ", vm.toString(i)));
            (bytes32 before,,,) = h.rootsOfWrite(ofD, D, V2, 1);
            assertNotEq(before, t.hash, "a tampered proof's root before");
            ofD.siblings[i] = kept;
        }
        assertTrue(h.verifyPresent(t.hash, ofD, D, VD, SD), "restored");
        assertFalse(h.verifyPresent(t.hash, ofD, D, V2, SD), "another value");
        assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD + 1), "another size");
        assertFalse(h.verifyAbsent(t.hash, ofD, D), "present, so not absent");
        // D's proof names E's leaf as D's sibling; E is not in it.
        assertFalse(h.verifyPresent(t.hash, ofD, E, VE, SE), "D's proof for E");
    }

    function test_proofForAnotherKeyOffItsPathRefused() public {
        OrderedTree.Proof memory ofD = withDeepest(R.endingIn(pathToDE(lE()), D, VD, SD), E, VE);
        // D's leaf is 8 deep; E shares only 7 bits with D, so D's leaf does not lie on E's path.
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.LeafOffPath.selector, E, D));
        h.verifyAbsent(t5().hash, ofD, E);
    }

    function test_proofTooDeepRefused() public {
        OrderedTree.Proof memory p = R.endingIn(new R.N[](257), A, VA, SA);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.ProofTooDeep.selector, 257));
        h.rootOf(p, A);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.ProofTooDeep.selector, 257));
        h.prefixCountAndSize(p, A);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.ProofTooDeep.selector, 257));
        h.isRightmost(p, A);
    }

    function test_endsNoTreeHasRefused() public {
        // Nothing beside a lone leaf (C would sit at the root), and a leaf beside nothing.
        OrderedTree.Proof memory emptyBesideLeaf = R.endingInNothing(s(lC()));
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.NonCanonicalEnd.selector, A, 1));
        h.rootsOfWrite(emptyBesideLeaf, A, VA, SA);
        OrderedTree.Proof memory leafBesideEmpty = R.endingIn(s(o()), A, VA, SA);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.NonCanonicalEnd.selector, A, 1));
        h.rootOf(leafBesideEmpty, A);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.NonCanonicalEnd.selector, A, 1));
        h.rootsOfDelete(leafBesideEmpty, A);
    }

    function test_deleteNeedsTheKeysLeafAndItsTrueSibling() public {
        OrderedTree.Proof memory ofD = withDeepest(R.endingIn(pathToDE(lE()), D, VD, SD), C, VC);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.DeepestSiblingLeafMismatch.selector, D));
        h.rootsOfDelete(ofD, D);
        ofD = withDeepest(ofD, E, V2);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.DeepestSiblingLeafMismatch.selector, D));
        h.rootsOfDelete(ofD, D);

        OrderedTree.Proof memory ofG = R.endingInNothing(s(R.inner(lC(), de()), ab()));
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.NotAnInclusionProof.selector, G));
        h.rootsOfDelete(ofG, G);
        OrderedTree.Proof memory ofC = R.endingIn(s(leftAB(), de()), C, VC, SC);
        bytes32 besideC = bytes32(uint256(0xa0) << 248); // 101…: C's path ends in C's leaf for it too
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.NotAnInclusionProof.selector, besideC));
        h.rootsOfDelete(ofC, besideC);
    }

    function test_sumsPastTheirWidthRefused() public {
        OrderedTree.Proof memory full = R.endingIn(new R.N[](0), C, VC, type(uint64).max);
        vm.expectRevert(OrderedTree.SizeOverflow.selector);
        h.rootsOfWrite(full, A, VA, 1);
        (,, uint256 count, uint256 size) = h.rootsOfWrite(full, A, VA, 0);
        assertEq(count, 2, "a zero size still fits");
        assertEq(size, type(uint64).max, "the size at its limit");

        R.N memory crowded = R.N(keccak256("many"), type(uint32).max, 0);
        vm.expectRevert(OrderedTree.CountOverflow.selector);
        h.rootOf(R.endingIn(s(crowded), A, VA, SA), A);
    }
}
