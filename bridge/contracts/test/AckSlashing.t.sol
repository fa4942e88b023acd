// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {AckFixture} from "./lib/AckFixture.sol";
import {Smt} from "./lib/Smt.sol";
import {AckSlashing} from "../src/AckSlashing.sol";
import {IAckSlashing} from "../src/IAckSlashing.sol";

/// The slashing rules of docs/acks.md, "Enforcing an ack". Keys of sequences 0..3 start 0000, 0110, 1000, 1101
/// (test/TransactionRoot.t.sol checks this), which the hand-written absence proofs below rely on.
contract AckSlashingTest is AckFixture {
    // ---- equivocation ----

    function _equivocatingBatch() internal returns (bytes32[] memory posted, uint64 batchIndex) {
        posted = _hashes(4, "posted");
        batchIndex = _commitAll(posted);
    }

    function _proof(uint64 first, bytes32[] memory hashes, uint64 sequence) internal pure returns (bytes32[] memory) {
        bool[] memory present = new bool[](hashes.length);
        for (uint256 i = 0; i < present.length; i++) present[i] = true;
        (bytes32[] memory k, bytes32[] memory v) = _entries(first, hashes, present);
        return Smt.proof(k, v, keccak256(abi.encodePacked(sequence)));
    }

    function test_anAckContradictedByThePostedBatchSlashesTheBond() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        IAckSlashing.Ack memory ack = _ack(2, keccak256("promised"));
        uint256 burnBefore = address(0xdead).balance;

        vm.expectEmit(address(slashing));
        emit IAckSlashing.AckSlashed(_leaf(2, ack.txHash), IAckSlashing.Violation.Equivocation, 2, ack.txHash, batchIndex, PAYEE, 0.75 ether, 0.25 ether);
        vm.prank(HOLDER);
        slashing.slashEquivocation(ack, batchIndex, posted[2], _proof(0, posted, 2), PAYEE);

        assertEq(slashing.bond(), 4 ether, "bond less one slash");
        assertEq(slashing.credit(PAYEE), 0.75 ether, "the named recipient is owed the slash less the burn");
        assertEq(slashing.credit(HOLDER), 0, "the caller is owed nothing when it names a recipient");
        assertEq(address(0xdead).balance - burnBefore, 0.25 ether, "a quarter burnt");
        assertTrue(slashing.slashed(_leaf(2, ack.txHash)), "marked slashed");

        vm.prank(PAYEE);
        slashing.withdraw();
        assertEq(PAYEE.balance, 0.75 ether, "paid out");
        assertEq(slashing.credit(PAYEE), 0, "credit spent");
    }

    function test_aZeroRecipientMeansTheCaller() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        vm.prank(HOLDER);
        slashing.slashEquivocation(_ack(0, keccak256("promised")), batchIndex, posted[0], _proof(0, posted, 0), address(0));
        assertEq(slashing.credit(HOLDER), 0.75 ether, "caller owed");
    }

    function test_anAckIsSlashedOnce() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        IAckSlashing.Ack memory ack = _ack(1, keccak256("promised"));
        slashing.slashEquivocation(ack, batchIndex, posted[1], _proof(0, posted, 1), PAYEE);
        bytes32[] memory proof = _proof(0, posted, 1);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.AlreadySlashed.selector, _leaf(1, ack.txHash)));
        slashing.slashEquivocation(ack, batchIndex, posted[1], proof, HOLDER);
    }

    function test_theSamePromiseInAnotherTreeIsTheSameAck() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        bytes32 promised = keccak256("promised");
        slashing.slashEquivocation(_ack(1, promised), batchIndex, posted[1], _proof(0, posted, 1), PAYEE);
        bytes32[] memory leaves = new bytes32[](2);
        (leaves[0], leaves[1]) = (_leaf(0, keccak256("x")), _leaf(1, promised));
        IAckSlashing.Ack memory again = _ackInTree(leaves, 1, 1, promised);
        bytes32[] memory proof = _proof(0, posted, 1);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.AlreadySlashed.selector, _leaf(1, promised)));
        slashing.slashEquivocation(again, batchIndex, posted[1], proof, PAYEE);
    }

    function test_anHonestAckCannotBeSlashed() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        IAckSlashing.Ack memory honest = _ack(3, posted[3]);
        bytes32[] memory proof = _proof(0, posted, 3);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.SameTransaction.selector, posted[3]));
        slashing.slashEquivocation(honest, batchIndex, posted[3], proof, HOLDER);
        // Another hash at 3 with the real siblings does not fold to the batch's root.
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.NotInBatch.selector, batchIndex, 3, keccak256("made up")));
        slashing.slashEquivocation(honest, batchIndex, keccak256("made up"), proof, HOLDER);
        assertEq(slashing.bond(), BOND, "bond untouched");
    }

    function test_theSequenceMustBeInTheBatchsRange() public {
        (bytes32[] memory posted,) = _equivocatingBatch();
        uint64 second = _commitAll(_hashes(2, "second"));
        bytes32[] memory proof = _proof(0, posted, 1);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.SequenceNotInBatch.selector, 1, 4, 2));
        slashing.slashEquivocation(_ack(1, keccak256("promised")), second, posted[1], proof, HOLDER);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.UnknownBatch.selector, 2));
        slashing.slashEquivocation(_ack(1, keccak256("promised")), 2, posted[1], proof, HOLDER);
    }

    // ---- the ack's own checks ----

    function test_anAckSignedByAnotherKeyIsRefused() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        IAckSlashing.Ack memory ack = _ack(2, keccak256("promised"));
        ack.signature = _sign(OTHER_KEY, ack.root);
        bytes32[] memory proof = _proof(0, posted, 2);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.NotSignedBySequencer.selector, keys.addr(OTHER_KEY), sequencer));
        slashing.slashEquivocation(ack, batchIndex, posted[2], proof, HOLDER);
    }

    function test_aProofThatMissesTheSignedRootIsRefused() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        bytes32[] memory leaves = new bytes32[](3);
        (leaves[0], leaves[1], leaves[2]) = (_leaf(1, keccak256("a")), _leaf(2, keccak256("promised")), _leaf(3, keccak256("c")));
        IAckSlashing.Ack memory ack = _ackInTree(leaves, 1, 2, keccak256("promised"));
        ack.proof[0] = keccak256("wrong sibling");
        bytes32 computed = keccak256(abi.encodePacked(leaves[1], ack.proof[0]) );
        if (ack.proof[0] < leaves[1]) computed = keccak256(abi.encodePacked(ack.proof[0], leaves[1]));
        computed = computed < ack.proof[1] ? keccak256(abi.encodePacked(computed, ack.proof[1])) : keccak256(abi.encodePacked(ack.proof[1], computed));
        bytes32[] memory proof = _proof(0, posted, 2);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.AckProofMismatch.selector, computed, ack.root));
        slashing.slashEquivocation(ack, batchIndex, posted[2], proof, HOLDER);
    }

    function test_aMalformedSignatureIsRefused() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        IAckSlashing.Ack memory ack = _ack(2, keccak256("promised"));
        bytes32[] memory proof = _proof(0, posted, 2);
        bytes memory good = ack.signature;

        ack.signature = new bytes(64);
        vm.expectRevert(IAckSlashing.InvalidSignature.selector);
        slashing.slashEquivocation(ack, batchIndex, posted[2], proof, HOLDER);

        ack.signature = bytes.concat(good);
        ack.signature[64] = bytes1(uint8(2));
        vm.expectRevert(IAckSlashing.InvalidSignature.selector);
        slashing.slashEquivocation(ack, batchIndex, posted[2], proof, HOLDER);

        // The same signature with s' = n - s and v flipped recovers the same key; EIP-2 refuses it.
        uint256 n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
        (bytes32 r, bytes32 s) = (bytes32(_slice(good, 0)), bytes32(_slice(good, 32)));
        ack.signature = abi.encodePacked(r, bytes32(n - uint256(s)), uint8(good[64]) ^ 1);
        vm.expectRevert(IAckSlashing.InvalidSignature.selector);
        slashing.slashEquivocation(ack, batchIndex, posted[2], proof, HOLDER);

        // v as 27/28 is accepted.
        ack.signature = bytes.concat(good);
        ack.signature[64] = bytes1(uint8(good[64]) + 27);
        slashing.slashEquivocation(ack, batchIndex, posted[2], proof, HOLDER);
    }

    function test_anAckProofLongerThanAnyTreeIsRefused() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        IAckSlashing.Ack memory ack = _ack(2, keccak256("promised"));
        ack.proof = new bytes32[](65);
        bytes32[] memory proof = _proof(0, posted, 2);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.AckProofTooLong.selector, 65));
        slashing.slashEquivocation(ack, batchIndex, posted[2], proof, HOLDER);
    }

    function _slice(bytes memory b, uint256 at) private pure returns (uint256 word) {
        assembly {
            word := mload(add(add(b, 32), at))
        }
    }

    /// Any leaf of any tree the sequencer signs slashes, wherever the batch's range puts it.
    function testFuzz_anyAckOfAnyTreeSlashesAContradictingBatch(uint8 leafCount, uint8 index, uint8 batchSize) public {
        uint256 count = bound(leafCount, 1, 40);
        uint256 at = bound(index, 0, count - 1);
        uint256 size = bound(batchSize, 1, 12);
        _commitAll(_hashes(3, "before"));
        bytes32[] memory posted = _hashes(size, "posted");
        uint64 batchIndex = _commitAll(posted);
        uint64 sequence = uint64(3 + at % size);
        bytes32 promised = keccak256(abi.encodePacked("promised", at));
        bytes32[] memory leaves = new bytes32[](count);
        for (uint256 i = 0; i < count; i++) leaves[i] = _leaf(uint64(3 + i), keccak256(abi.encodePacked("other", i)));
        leaves[at] = _leaf(sequence, promised);
        IAckSlashing.Ack memory ack = _ackInTree(leaves, at, sequence, promised);
        slashing.slashEquivocation(ack, batchIndex, posted[sequence - 3], _proof(3, posted, sequence), PAYEE);
        assertTrue(slashing.slashed(_leaf(sequence, promised)), "slashed");
    }

    // ---- omission ----

    function _present(bool a, bool b, bool c, bool d) internal pure returns (bool[] memory p) {
        p = new bool[](4);
        (p[0], p[1], p[2], p[3]) = (a, b, c, d);
    }

    function test_aFinalBatchWhoseRootLacksTheSequenceSlashes() public {
        bytes32[] memory posted = _hashes(4, "posted");
        uint64 batchIndex = _commitBatch(posted, _present(false, true, true, true));
        _finalize();
        // {1, 2, 3}: key 0's path goes left at bit 0, to the lone leaf of 1; the right subtree is N(L2, L3).
        bytes32 k1 = keccak256(abi.encodePacked(uint64(1)));
        bytes32 right = Smt.inner(Smt.leaf(keccak256(abi.encodePacked(uint64(2))), posted[2]), Smt.leaf(keccak256(abi.encodePacked(uint64(3))), posted[3]));
        IAckSlashing.Ack memory ack = _ack(0, keccak256("promised"));
        vm.expectEmit(address(slashing));
        emit IAckSlashing.AckSlashed(_leaf(0, ack.txHash), IAckSlashing.Violation.Omission, 0, ack.txHash, batchIndex, HOLDER, 0.75 ether, 0.25 ether);
        vm.prank(HOLDER);
        slashing.slashOmission(ack, batchIndex, k1, posted[1], Smt.siblings(right), address(0));
        assertEq(slashing.bond(), 4 ether, "slashed");
    }

    function test_anEmptySubtreeOnThePathProvesTheOmission() public {
        bytes32[] memory posted = _hashes(4, "posted");
        uint64 batchIndex = _commitBatch(posted, _present(false, false, true, true));
        _finalize();
        // {2, 3}: both go right at bit 0, so key 0's path ends at an empty left subtree.
        bytes32 right = Smt.inner(Smt.leaf(keccak256(abi.encodePacked(uint64(2))), posted[2]), Smt.leaf(keccak256(abi.encodePacked(uint64(3))), posted[3]));
        slashing.slashOmission(_ack(0, keccak256("promised")), batchIndex, bytes32(0), bytes32(0), Smt.siblings(right), PAYEE);
        assertEq(slashing.credit(PAYEE), 0.75 ether, "paid");
    }

    function test_anOmissionNeedsTheBatchFinal() public {
        bytes32[] memory posted = _hashes(4, "posted");
        uint64 batchIndex = _commitBatch(posted, _present(false, false, true, true));
        vm.roll(block.number + CHALLENGE_WINDOW - 1);
        bytes32 right = Smt.inner(Smt.leaf(keccak256(abi.encodePacked(uint64(2))), posted[2]), Smt.leaf(keccak256(abi.encodePacked(uint64(3))), posted[3]));
        IAckSlashing.Ack memory ack = _ack(0, keccak256("promised"));
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.BatchNotFinal.selector, batchIndex));
        slashing.slashOmission(ack, batchIndex, bytes32(0), bytes32(0), Smt.siblings(right), PAYEE);
    }

    function test_aBatchHoldingTheSequenceRefusesAnAbsenceProof() public {
        bytes32[] memory posted = _hashes(4, "posted");
        uint64 batchIndex = _commitAll(posted);
        _finalize();
        bytes32 k0 = keccak256(abi.encodePacked(uint64(0)));
        bytes32 k1 = keccak256(abi.encodePacked(uint64(1)));
        bytes32[] memory proof0 = _proof(0, posted, 0);
        IAckSlashing.Ack memory ack = _ack(0, keccak256("promised"));
        // The real path to 0 ends at 0's own leaf: that is no absence.
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.AbsenceNotProven.selector, batchIndex, 0));
        slashing.slashOmission(ack, batchIndex, k0, posted[0], proof0, PAYEE);
        // Ending at 1's leaf one level short folds to another root.
        bytes32[] memory short = Smt.siblings(proof0[0]);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.AbsenceNotProven.selector, batchIndex, 0));
        slashing.slashOmission(ack, batchIndex, k1, posted[1], short, PAYEE);
        // Nor an empty ending.
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.AbsenceNotProven.selector, batchIndex, 0));
        slashing.slashOmission(ack, batchIndex, bytes32(0), bytes32(0), proof0, PAYEE);
    }

    function test_anEndingLeafOffThePathIsRefused() public {
        bytes32[] memory posted = _hashes(4, "posted");
        // {0, 2}: root N(L0, L2); the leaf of 2 (bit 0 = 1) cannot end key 1's path (bit 0 = 0).
        uint64 batchIndex = _commitBatch(posted, _present(true, false, true, false));
        _finalize();
        bytes32 k0 = keccak256(abi.encodePacked(uint64(0)));
        bytes32 k2 = keccak256(abi.encodePacked(uint64(2)));
        bytes32 l0 = Smt.leaf(k0, posted[0]);
        IAckSlashing.Ack memory ack = _ack(1, keccak256("promised"));
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.AbsenceNotProven.selector, batchIndex, 1));
        slashing.slashOmission(ack, batchIndex, k2, posted[2], Smt.siblings(l0), PAYEE);
        // The true ending, 0's leaf on the left, proves it.
        slashing.slashOmission(ack, batchIndex, k0, posted[0], Smt.siblings(Smt.leaf(k2, posted[2])), PAYEE);
        assertTrue(slashing.slashed(_leaf(1, ack.txHash)), "slashed");
    }

    // ---- amounts ----

    function test_noBondNoSlash() public {
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        for (uint64 s = 0; s < 4; s++) {
            if (s == 3) {
                // 5 ether less 3 slashes of 1: the fourth takes 1, leaving 1; drain it first.
                vm.prank(sequencer);
                slashing.proposeBondWithdrawal(1 ether);
                vm.roll(block.number + BOND_DELAY);
                slashing.executeBondWithdrawal();
            }
            slashing.slashEquivocation(_ack(s, keccak256("promised")), batchIndex, posted[s], _proof(0, posted, s), PAYEE);
        }
        assertEq(slashing.bond(), 0, "drained");
        bytes32[] memory proof = _proof(0, posted, 0);
        IAckSlashing.Ack memory ack = _ack(0, keccak256("another promise"));
        vm.expectRevert(IAckSlashing.NoBond.selector);
        slashing.slashEquivocation(ack, batchIndex, posted[0], proof, PAYEE);
    }

    function testFuzz_aSlashTakesTheAmountOrWhatIsLeft(uint96 bondWei) public {
        uint256 extra = bound(bondWei, 1, 3 ether);
        AckSlashing small = new AckSlashing(address(settlement), L2_CHAIN_ID, SLASH, BURN_PPM, BOND_DELAY);
        small.depositBond{value: extra}();
        (bytes32[] memory posted, uint64 batchIndex) = _equivocatingBatch();
        IAckSlashing.Ack memory ack = _ack(0, keccak256("promised"));
        // An ack verifies against any contract beside this settlement: the domain names the settlement.
        small.slashEquivocation(ack, batchIndex, posted[0], _proof(0, posted, 0), PAYEE);
        uint256 taken = extra < SLASH ? extra : SLASH;
        uint256 burnt = taken * BURN_PPM / 1_000_000;
        assertEq(small.bond(), extra - taken, "bond");
        assertEq(small.credit(PAYEE), taken - burnt, "paid");
        assertEq(address(small).balance, extra - burnt, "the contract keeps the bond and the credit");
    }

    receive() external payable {}
}
