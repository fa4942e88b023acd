// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";
import {Smt} from "./lib/Smt.sol";

/// The batch's transaction root (docs/batches.md, "Commitment"): contiguous sequence ranges and inclusion proofs.
/// The trees are written out by hand from the rules of docs/state.md for the keys of sequences 0..3, whose first
/// bits (checked in setUp) are 0000, 0110, 1000 and 1101:
///   {0}       -> L0
///   {0, 1}    -> N(N(L0, L1), 0)        both go left at bit 0, part at bit 1
///   {0, 1, 2} -> N(N(L0, L1), L2)       2 goes right at bit 0
/// with L(s) = keccak256(0x00 ‖ keccak256(uint64 s) ‖ txHash) and N(a, b) = keccak256(0x01 ‖ a ‖ b).
contract TransactionRootTest is SettlementFixture {
    bytes32 internal constant H0 = keccak256("tx 0");
    bytes32 internal constant H1 = keccak256("tx 1");
    bytes32 internal constant H2 = keccak256("tx 2");
    bytes32 internal constant H3 = keccak256("tx 3");

    bytes32 internal l0;
    bytes32 internal l1;
    bytes32 internal l2;
    bytes32 internal l3;

    function setUp() public override {
        super.setUp();
        (bytes32 k0, bytes32 k1, bytes32 k2, bytes32 k3) = (_key(0), _key(1), _key(2), _key(3));
        assertEq(uint256(k0) >> 252, 0x0, "key 0 starts 0000");
        assertEq(uint256(k1) >> 252, 0x6, "key 1 starts 0110");
        assertEq(uint256(k2) >> 252, 0x8, "key 2 starts 1000");
        assertEq(uint256(k3) >> 252, 0xd, "key 3 starts 1101");
        l0 = Smt.leaf(k0, H0);
        l1 = Smt.leaf(k1, H1);
        l2 = Smt.leaf(k2, H2);
        l3 = Smt.leaf(k3, H3);
    }

    // ---- sequence ranges ----

    function test_theFirstBatchStartsAtSequenceZero() public {
        assertEq(settlement.nextSequence(), 0, "before any batch");
        IRollupSettlement.Commitment memory c = _withTransactions(1, l0);
        c.firstSequence = 1;
        vm.expectRevert(_err(IRollupSettlement.WrongFirstSequence.selector, 0, 1));
        _commit(c);
    }

    function test_nextSequenceAdvancesByEachBatchsCount() public {
        _commit(_withTransactions(3, _root3()));
        assertEq(settlement.nextSequence(), 3, "after 3 transactions");

        IRollupSettlement.Commitment memory c = _withTransactions(1, l3);
        c.firstSequence = 2;
        vm.expectRevert(_err(IRollupSettlement.WrongFirstSequence.selector, 3, 2));
        _commit(c);
        c.firstSequence = 4;
        vm.expectRevert(_err(IRollupSettlement.WrongFirstSequence.selector, 3, 4));
        _commit(c);
        c.firstSequence = 3;
        _commit(c);
        assertEq(settlement.nextSequence(), 4, "after 3 + 1");

        _commit(_withTransactions(0, bytes32(0)));
        assertEq(settlement.nextSequence(), 4, "a batch of empty blocks takes no sequence");
    }

    function test_theBatchRecordAndTheEventCarryTheRange() public {
        _commit(_withTransactions(3, _root3()));
        IRollupSettlement.Commitment memory c = _withTransactions(1, l3);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.BatchCommitted(1, keccak256(abi.encode(c)), c.newStateRoot, bytes32(0), 0, 6, 10, 3, 1, l3, c.blocksRoot, c.claimsRoot);
        _commit(c);
        IRollupSettlement.Batch memory b = settlement.batch(1);
        assertEq(b.txRoot, l3, "tx root");
        assertEq(b.firstSequence, 3, "first sequence");
        assertEq(b.txCount, 1, "tx count");
    }

    function test_aZeroRootGoesWithNoTransactionsAndOnlyThen() public {
        IRollupSettlement.Commitment memory c = _withTransactions(2, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.TxRootAndCountDisagree.selector, uint64(2), bytes32(0)));
        _commit(c);
        c.txCount = 0;
        c.txRoot = l0;
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.TxRootAndCountDisagree.selector, uint64(0), l0));
        _commit(c);
    }

    function test_aRangePastTheLastSequenceNumberIsRefused() public {
        _commit(_withTransactions(3, _root3()));
        uint64 max = type(uint64).max;
        IRollupSettlement.Commitment memory c = _withTransactions(max - 2, l3);
        vm.expectRevert(_err(IRollupSettlement.SequenceOverflow.selector, 3, max - 2));
        _commit(c);
        c.txCount = max - 3;
        _commit(c);
        assertEq(settlement.nextSequence(), max, "the range ends at the last sequence number");
    }

    function testFuzz_nextSequenceIsTheSumOfTheCounts(uint16[5] memory counts) public {
        uint64 sum;
        for (uint256 i = 0; i < counts.length; i++) {
            _commit(_withTransactions(counts[i], counts[i] == 0 ? bytes32(0) : keccak256(abi.encode(i))));
            assertEq(settlement.batch(uint64(i)).firstSequence, sum, "first sequence");
            sum += counts[i];
        }
        assertEq(settlement.nextSequence(), sum, "next sequence");
    }

    // ---- inclusion ----

    function test_oneTransaction() public {
        _commit(_withTransactions(1, l0));
        assertTrue(settlement.transactionIncluded(0, 0, H0, new bytes32[](0)), "the leaf is the root");
        assertFalse(settlement.transactionIncluded(0, 0, H1, new bytes32[](0)), "wrong hash");
    }

    function test_twoTransactionsUnderAnEmptySibling() public {
        _commit(_withTransactions(2, Smt.inner(Smt.inner(l0, l1), bytes32(0))));
        assertTrue(settlement.transactionIncluded(0, 0, H0, Smt.siblings(bytes32(0), l1)), "sequence 0");
        assertTrue(settlement.transactionIncluded(0, 1, H1, Smt.siblings(bytes32(0), l0)), "sequence 1");
        assertFalse(settlement.transactionIncluded(0, 1, H1, Smt.siblings(l0)), "a sibling short");
    }

    function test_threeTransactionsAndWhatTheyDoNotProve() public {
        _commit(_withTransactions(3, _root3()));
        assertTrue(settlement.transactionIncluded(0, 0, H0, Smt.siblings(l2, l1)), "sequence 0");
        assertTrue(settlement.transactionIncluded(0, 1, H1, Smt.siblings(l2, l0)), "sequence 1");
        assertTrue(settlement.transactionIncluded(0, 2, H2, Smt.siblings(Smt.inner(l0, l1))), "sequence 2");

        assertFalse(settlement.transactionIncluded(0, 0, H1, Smt.siblings(l2, l1)), "wrong hash");
        assertFalse(settlement.transactionIncluded(0, 1, H0, Smt.siblings(l2, l1)), "sequence 0's transaction as sequence 1");
        assertFalse(settlement.transactionIncluded(0, 2, H1, Smt.siblings(l2, l0)), "sequence 1's proof for sequence 2");
    }

    /// A root over more sequences than the batch claims (a lying sequencer's): the range, not the proof, decides.
    function test_aSequenceOutsideTheBatchsRangeIsNotIncludedEvenWithAValidProof() public {
        _commit(_withTransactions(2, _root3())); // range 0..1, but the root also holds sequence 2
        assertTrue(settlement.transactionIncluded(0, 1, H1, Smt.siblings(l2, l0)), "inside the range");
        assertFalse(settlement.transactionIncluded(0, 2, H2, Smt.siblings(Smt.inner(l0, l1))), "past the range");

        _commit(_withTransactions(1, _root3())); // range 2..2, the same root
        assertTrue(settlement.transactionIncluded(1, 2, H2, Smt.siblings(Smt.inner(l0, l1))), "inside batch 1's range");
        assertFalse(settlement.transactionIncluded(1, 0, H0, Smt.siblings(l2, l1)), "before batch 1's range");
        assertFalse(settlement.transactionIncluded(1, 3, H3, new bytes32[](0)), "past batch 1's range");
    }

    function test_anUnknownBatchIncludesNothing() public {
        assertFalse(settlement.transactionIncluded(0, 0, H0, new bytes32[](0)), "no batch yet");
        _commit(_withTransactions(1, l0));
        assertFalse(settlement.transactionIncluded(1, 0, H0, new bytes32[](0)), "batch 1 not committed");
        assertTrue(settlement.transactionIncluded(0, 0, H0, new bytes32[](0)), "batch 0 is");
    }

    function test_theKeyIsKeccakOfTheBigEndianSequence() public view {
        // keccak256 of eight zero bytes, as ethers' solidityPackedKeccak256(["uint64"], [0]) gives it.
        assertEq(settlement.transactionKey(0), 0x011b4d03dd8c01f1049143cf9c4c817e4b167f1d1b83e5c6f0f10d89ba1e7bce, "key of 0");
        assertEq(settlement.transactionKey(0x0102030405060708), keccak256(hex"0102030405060708"), "big-endian");
    }

    // ---- helpers ----

    function _withTransactions(uint64 txCount, bytes32 txRoot) private returns (IRollupSettlement.Commitment memory c) {
        c = _nextCommitment(keccak256(abi.encode("state", settlement.nextBatchIndex())), 0, 5, 0);
        c.txCount = txCount;
        c.txRoot = txRoot;
    }

    function _root3() private view returns (bytes32) {
        return Smt.inner(Smt.inner(l0, l1), l2);
    }

    function _key(uint64 sequence) private pure returns (bytes32) {
        bytes8 be = bytes8(sequence);
        return keccak256(abi.encodePacked(be));
    }
}
