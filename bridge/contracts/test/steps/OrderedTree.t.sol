// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {OrderedTree} from "../../src/steps/OrderedTree.sol";
import {OrderedTreeHarness, OrderedTreeRules as R} from "./OrderedTreeHarness.t.sol";

/// Trees of one to five leaves written out by hand from the rules (OrderedTreeRules: leaf = H(0x00 ‖ key ‖
/// valueHash ‖ u64 size), inner = H(0x01 ‖ u8 bit ‖ left ‖ right ‖ u32 count ‖ u64 size), an inner node at the
/// first bit where its keys do not all agree), their proofs by hand, and what the library makes of them.
contract OrderedTreeTest is StepsTest {
    OrderedTreeHarness internal h;

    // Keys named by their first bits; the low byte makes each look like any other key.
    bytes32 internal constant A = bytes32(uint256(0x10) << 248 | 0xa1); // 0001 0000
    bytes32 internal constant B = bytes32(uint256(0x20) << 248 | 0xb2); // 0010 0000: parts from A at bit 2
    bytes32 internal constant C = bytes32(uint256(0x80) << 248 | 0xc3); // 1000 0000
    bytes32 internal constant D = bytes32(uint256(0xc0) << 248 | 0xd4); // 1100 0000: parts from C at bit 1
    bytes32 internal constant E = bytes32(uint256(0xc1) << 248 | 0xe5); // 1100 0001: parts from D at bit 7
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

    function ab() internal pure returns (R.N memory) {
        return R.inner(2, lA(), lB());
    }

    function de() internal pure returns (R.N memory) {
        return R.inner(7, lD(), lE());
    }

    function cde() internal pure returns (R.N memory) {
        return R.inner(1, lC(), de());
    }

    function t2() internal pure returns (R.N memory) {
        return R.inner(0, lA(), lC());
    }

    function t3() internal pure returns (R.N memory) {
        return R.inner(0, ab(), lC());
    }

    function t4() internal pure returns (R.N memory) {
        return R.inner(0, ab(), R.inner(1, lC(), lD()));
    }

    function t5() internal pure returns (R.N memory) {
        return R.inner(0, ab(), cde());
    }

    function st(uint8 bit, R.N memory sibling) internal pure returns (OrderedTree.Step memory) {
        return R.step(bit, sibling);
    }

    function s() internal pure returns (OrderedTree.Step[] memory) {
        return new OrderedTree.Step[](0);
    }

    function s(OrderedTree.Step memory a) internal pure returns (OrderedTree.Step[] memory x) {
        x = new OrderedTree.Step[](1);
        x[0] = a;
    }

    function s(OrderedTree.Step memory a, OrderedTree.Step memory b) internal pure returns (OrderedTree.Step[] memory x) {
        x = new OrderedTree.Step[](2);
        (x[0], x[1]) = (a, b);
    }

    function s(OrderedTree.Step memory a, OrderedTree.Step memory b, OrderedTree.Step memory c)
        internal
        pure
        returns (OrderedTree.Step[] memory x)
    {
        x = new OrderedTree.Step[](3);
        (x[0], x[1], x[2]) = (a, b, c);
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
        OrderedTree.Proof memory p = R.endingInNothing(s());
        assertRoot(p, A, o(), "empty");
        assertTrue(h.verifyAbsent(bytes32(0), p, A), "A absent");
        assertFalse(h.verifyPresent(bytes32(0), p, A, VA, SA), "A not present");
        assertWrite(p, A, VA, SA, o(), lA(), "insert into nothing: the tree is the leaf");
        assertOrder(p, A, 0, 0, true, true, "the empty tree's order");
    }

    function test_oneLeaf() public view {
        R.N memory t1 = lC();
        OrderedTree.Proof memory ofC = R.endingIn(s(), C, VC, SC);
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
        OrderedTree.Proof memory ofA = R.endingIn(s(st(0, lC())), A, VA, SA);
        OrderedTree.Proof memory ofC = R.endingIn(s(st(0, lA())), C, VC, SC);
        assertTrue(h.verifyPresent(t.hash, ofA, A, VA, SA), "A present");
        assertTrue(h.verifyPresent(t.hash, ofC, C, VC, SC), "C present");
        assertRoot(ofA, A, t, "root and sums");
        assertDelete(ofA, A, t, lC(), "delete A: C takes the root");
        assertDelete(ofC, C, t, lA(), "delete C: A takes the root");
        assertOrder(ofA, A, 0, 0, true, false, "A");
        assertOrder(ofC, C, 1, SA, false, true, "C");

        // B's path ends in A's leaf; they part at bit 2, below the root's bit 0.
        assertTrue(h.verifyAbsent(t.hash, ofA, B), "B absent");
        assertWrite(ofA, B, VB, SB, t, t3(), "insert B beside A");
        assertOrder(ofA, B, 1, SA, false, false, "B between A and C");
    }

    // ---- three leaves ----

    function test_threeLeaves() public view {
        R.N memory t = t3();
        OrderedTree.Proof memory ofA = R.endingIn(s(st(0, lC()), st(2, lB())), A, VA, SA);
        OrderedTree.Proof memory ofB = R.endingIn(s(st(0, lC()), st(2, lA())), B, VB, SB);
        OrderedTree.Proof memory ofC = R.endingIn(s(st(0, ab())), C, VC, SC);
        assertTrue(h.verifyPresent(t.hash, ofA, A, VA, SA), "A present");
        assertTrue(h.verifyPresent(t.hash, ofB, B, VB, SB), "B present");
        assertTrue(h.verifyPresent(t.hash, ofC, C, VC, SC), "C present");

        // A deleted leaf's sibling takes its parent's place, leaf or subtree.
        assertDelete(ofA, A, t, R.inner(0, lB(), lC()), "delete A");
        assertDelete(ofB, B, t, R.inner(0, lA(), lC()), "delete B");
        assertDelete(ofC, C, t, ab(), "delete C");

        // G (0100) ends in A's leaf and parts from it at bit 1: between the root's bit 0 and {A, B}'s bit 2.
        assertTrue(h.verifyAbsent(t.hash, ofA, G), "G absent");
        assertWrite(ofA, G, V2, 7, t, R.inner(0, R.inner(1, ab(), R.leaf(G, V2, 7)), lC()), "insert G between two levels");
        assertOrder(ofA, G, 2, SA + SB, false, false, "G after A and B: {A, B} lies on A's side");

        // D (11…) ends in C's leaf and parts from it at bit 1, below the root.
        assertWrite(ofC, D, VD, SD, t, t4(), "insert D beside C");
        assertOrder(ofB, B, 1, SA, false, false, "B");
        assertOrder(ofC, C, 2, SA + SB, false, true, "C last");

        // Into {A, B} alone, C parts from A at bit 0, above the root: the new root.
        OrderedTree.Proof memory ofAInAB = R.endingIn(s(st(2, lB())), A, VA, SA);
        assertTrue(h.verifyAbsent(ab().hash, ofAInAB, C), "C absent from {A, B}");
        assertWrite(ofAInAB, C, VC, SC, ab(), t, "insert C above the root");
        assertOrder(ofAInAB, C, 2, SA + SB, false, true, "C after both");
    }

    // ---- five leaves ----

    function fiveLeafProof(bytes32 key) internal pure returns (OrderedTree.Proof memory) {
        if (key == A) return R.endingIn(s(st(0, cde()), st(2, lB())), A, VA, SA);
        if (key == B) return R.endingIn(s(st(0, cde()), st(2, lA())), B, VB, SB);
        if (key == C) return R.endingIn(s(st(0, ab()), st(1, de())), C, VC, SC);
        if (key == D) return R.endingIn(s(st(0, ab()), st(1, lC()), st(7, lE())), D, VD, SD);
        return R.endingIn(s(st(0, ab()), st(1, lC()), st(7, lD())), E, VE, SE);
    }

    function test_fiveLeavesProofsAndOrder() public view {
        R.N memory t = t5();
        assertTrue(h.verifyPresent(t.hash, fiveLeafProof(A), A, VA, SA), "A present");
        assertTrue(h.verifyPresent(t.hash, fiveLeafProof(B), B, VB, SB), "B present");
        assertTrue(h.verifyPresent(t.hash, fiveLeafProof(C), C, VC, SC), "C present");
        assertTrue(h.verifyPresent(t.hash, fiveLeafProof(D), D, VD, SD), "D present, 3 steps");
        assertTrue(h.verifyPresent(t.hash, fiveLeafProof(E), E, VE, SE), "E present, 3 steps");
        assertRoot(fiveLeafProof(D), D, t, "five leaves' sums");

        assertOrder(fiveLeafProof(A), A, 0, 0, true, false, "A");
        assertOrder(fiveLeafProof(B), B, 1, SA, false, false, "B");
        assertOrder(fiveLeafProof(C), C, 2, SA + SB, false, false, "C");
        assertOrder(fiveLeafProof(D), D, 3, SA + SB + SC, false, false, "D");
        assertOrder(fiveLeafProof(E), E, 4, SA + SB + SC + SD, false, true, "E");

        // Absent keys: G between B and C (ends in A's leaf), zero before A (ends in A's), all ones after E (ends in
        // E's; parts from it at bit 2, so D's leaf at bit 7 lies on E's side, below).
        assertTrue(h.verifyAbsent(t.hash, fiveLeafProof(A), G), "G absent");
        assertOrder(fiveLeafProof(A), G, 2, SA + SB, false, false, "G");
        assertTrue(h.verifyAbsent(t.hash, fiveLeafProof(A), bytes32(0)), "zero absent");
        assertOrder(fiveLeafProof(A), bytes32(0), 0, 0, true, false, "zero");
        assertTrue(h.verifyAbsent(t.hash, fiveLeafProof(E), ONES), "all ones absent");
        assertOrder(fiveLeafProof(E), ONES, 5, SA + SB + SC + SD + SE, false, true, "all ones");
        // 1100 0000 …00: D's first byte and nothing after, below D: ends in D's leaf, parts from it at a low bit.
        bytes32 belowD = bytes32(uint256(0xc0) << 248);
        assertOrder(fiveLeafProof(D), belowD, 3, SA + SB + SC, false, false, "just below D");
    }

    function test_fiveLeavesWritesAndDeletes() public view {
        R.N memory t = t5();
        assertDelete(fiveLeafProof(D), D, t, R.inner(0, ab(), R.inner(1, lC(), lE())), "delete D: E takes {D, E}'s place");
        assertDelete(fiveLeafProof(E), E, t, t4(), "delete E");
        assertDelete(fiveLeafProof(A), A, t, R.inner(0, lB(), cde()), "delete A");
        assertDelete(fiveLeafProof(C), C, t, R.inner(0, ab(), de()), "delete C: {D, E} takes C's parent's place");

        R.N memory updated = R.inner(0, ab(), R.inner(1, lC(), R.inner(7, R.leaf(D, V2, 1), lE())));
        assertWrite(fiveLeafProof(D), D, V2, 1, t, updated, "update D");

        // From four leaves, E's path ends in D's leaf; they part at bit 7, past every step.
        OrderedTree.Proof memory eInFour = R.endingIn(s(st(0, ab()), st(1, lC())), D, VD, SD);
        assertTrue(h.verifyAbsent(t4().hash, eInFour, E), "E absent from four");
        assertWrite(eInFour, E, VE, SE, t4(), t, "insert E");
    }

    // ---- what must be refused ----

    function test_tamperedProofsDoNotVerify() public view {
        R.N memory t = t5();
        OrderedTree.Proof memory ofD = fiveLeafProof(D);
        for (uint256 i = 0; i < ofD.steps.length; i++) {
            OrderedTree.Step memory kept = ofD.steps[i];
            ofD.steps[i] = OrderedTree.Step(kept.bit, bytes32(uint256(kept.hash) ^ 1), kept.count, kept.size);
            assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD), string.concat("flipped bit, step ", vm.toString(i)));
            ofD.steps[i] = OrderedTree.Step(kept.bit, kept.hash, kept.count + 1, kept.size);
            assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD), string.concat("count + 1, step ", vm.toString(i)));
            ofD.steps[i] = OrderedTree.Step(kept.bit, kept.hash, kept.count, kept.size + 1);
            assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD), string.concat("size + 1, step ", vm.toString(i)));
            (bytes32 before,,,) = h.rootsOfWrite(ofD, D, V2, 1);
            assertNotEq(before, t.hash, "a tampered proof's root before");
            ofD.steps[i] = kept;
        }
        // Another split bit where the keys still agree.
        ofD.steps[2].bit = 6;
        assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD), "step 2 at bit 6");
        ofD.steps[2].bit = 7;
        assertTrue(h.verifyPresent(t.hash, ofD, D, VD, SD), "restored");
        assertFalse(h.verifyPresent(t.hash, ofD, D, V2, SD), "another value");
        assertFalse(h.verifyPresent(t.hash, ofD, D, VD, SD + 1), "another size");
        assertFalse(h.verifyAbsent(t.hash, ofD, D), "present, so not absent");
    }

    function test_proofForAnotherKeyOffItsPathRefused() public {
        // D's path splits on bit 7, where E differs from D: D's leaf does not lie on E's path.
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.LeafOffPath.selector, E, D));
        h.verifyAbsent(t5().hash, fiveLeafProof(D), E);
    }

    function test_proofTooDeepRefused() public {
        OrderedTree.Step[] memory steps = new OrderedTree.Step[](257);
        OrderedTree.Proof memory p = R.endingIn(steps, A, VA, SA);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.ProofTooDeep.selector, 257));
        h.rootOf(p, A);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.ProofTooDeep.selector, 257));
        h.prefixCountAndSize(p, A);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.ProofTooDeep.selector, 257));
        h.isRightmost(p, A);
    }

    function test_shapesNoTreeHasRefused() public {
        OrderedTree.Proof memory outOfOrder = R.endingIn(s(st(0, ab()), st(7, lE()), st(1, lC())), D, VD, SD);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.BitsOutOfOrder.selector, D, 2));
        h.rootOf(outOfOrder, D);
        OrderedTree.Proof memory repeated = R.endingIn(s(st(0, ab()), st(0, lC())), D, VD, SD);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.BitsOutOfOrder.selector, D, 1));
        h.rootsOfWrite(repeated, D, V2, 1);

        OrderedTree.Proof memory emptySibling = R.endingIn(s(st(0, ab()), st(1, o())), C, VC, SC);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.EmptySibling.selector, C, 1));
        h.rootOf(emptySibling, C);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.EmptySibling.selector, C, 1));
        h.rootsOfDelete(emptySibling, C);

        OrderedTree.Proof memory noLeaf = R.endingInNothing(s(st(0, lC())));
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.MissingLeaf.selector, A));
        h.rootsOfWrite(noLeaf, A, VA, SA);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.MissingLeaf.selector, A));
        h.isLeftmost(noLeaf, A);
    }

    function test_deleteNeedsTheKeysLeaf() public {
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.NotAnInclusionProof.selector, G));
        h.rootsOfDelete(fiveLeafProof(A), G);
        bytes32 besideC = bytes32(uint256(0xa0) << 248); // 101…: C's path ends in C's leaf for it too
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.NotAnInclusionProof.selector, besideC));
        h.rootsOfDelete(fiveLeafProof(C), besideC);
        vm.expectRevert(abi.encodeWithSelector(OrderedTree.NotAnInclusionProof.selector, A));
        h.rootsOfDelete(R.endingInNothing(s()), A);
    }

    function test_sumsPastTheirWidthRefused() public {
        OrderedTree.Proof memory full = R.endingIn(s(), C, VC, type(uint64).max);
        vm.expectRevert(OrderedTree.SizeOverflow.selector);
        h.rootsOfWrite(full, A, VA, 1);
        (,, uint256 count, uint256 size) = h.rootsOfWrite(full, A, VA, 0);
        assertEq(count, 2, "a zero size still fits");
        assertEq(size, type(uint64).max, "the size at its limit");

        R.N memory crowded = R.N(keccak256("many"), type(uint32).max, 0);
        vm.expectRevert(OrderedTree.CountOverflow.selector);
        h.rootOf(R.endingIn(s(st(0, crowded)), A, VA, SA), A);
    }
}
