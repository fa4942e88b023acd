// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";
import {Smt} from "./lib/Smt.sol";

/// The batch's blocks root (docs/batches.md, "Commitment"): never zero, and block headers proven against it within
/// the batch's block range. The trees are written out by hand from the rules of docs/state.md for the keys of
/// blocks 1..3, whose first bits (checked in setUp) are 0110, 1000 and 1101:
///   {1}    -> L1
///   {1, 2} -> N(L1, L2)             they part at bit 0
///   {2, 3} -> N(0, N(L2, L3))       both go right at bit 0, part at bit 1
/// with L(n) = keccak256(0x00 ‖ keccak256(uint64 n) ‖ keccak256(uint64 timestamp ‖ uint64 firstSequence ‖ uint32 txCount))
/// and N(a, b) = keccak256(0x01 ‖ a ‖ b). The headers are those of a chain whose block 1 holds 3 transactions,
/// block 2 none and block 3 five, 250 ms apart.
contract BlocksRootTest is SettlementFixture {
    uint64 internal constant T1 = 1_700_000_000_000;
    uint64 internal constant T2 = T1 + 250;
    uint64 internal constant T3 = T2 + 250;

    bytes32 internal l1;
    bytes32 internal l2;
    bytes32 internal l3;

    function setUp() public override {
        super.setUp();
        (bytes32 k1, bytes32 k2, bytes32 k3) = (_key(1), _key(2), _key(3));
        assertEq(uint256(k1) >> 252, 0x6, "key 1 starts 0110");
        assertEq(uint256(k2) >> 252, 0x8, "key 2 starts 1000");
        assertEq(uint256(k3) >> 252, 0xd, "key 3 starts 1101");
        l1 = Smt.leaf(k1, _header(T1, 0, 3));
        l2 = Smt.leaf(k2, _header(T2, 3, 0));
        l3 = Smt.leaf(k3, _header(T3, 3, 5));
    }

    // ---- the commitment ----

    function test_aZeroBlocksRootIsRefused() public {
        IRollupSettlement.Commitment memory c = _withBlocks(1, 3, bytes32(0));
        vm.expectRevert(IRollupSettlement.ZeroBlocksRoot.selector);
        _commit(c);

        // A batch of empty blocks has headers too, so no zero root there either.
        c = _withBlocks(2, 0, bytes32(0));
        vm.expectRevert(IRollupSettlement.ZeroBlocksRoot.selector);
        _commit(c);
        c.blocksRoot = Smt.inner(l1, l2);
        _commit(c);
        assertEq(settlement.nextBatchIndex(), 1, "committed with a root");
    }

    function test_theBatchRecordAndTheEventCarryTheBlocksRoot() public {
        _commit(_withBlocks(1, 3, l1));
        IRollupSettlement.Commitment memory c = _withBlocks(2, 5, Smt.inner(bytes32(0), Smt.inner(l2, l3)));
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.BatchCommitted(
            1, keccak256(abi.encode(c)), c.newStateRoot, bytes32(0), 0, 2, 3, 3, 5, c.txRoot, Smt.inner(bytes32(0), Smt.inner(l2, l3)), c.claimsRoot
        );
        _commit(c);
        assertEq(settlement.batch(0).blocksRoot, l1, "batch 0");
        assertEq(settlement.batch(1).blocksRoot, Smt.inner(bytes32(0), Smt.inner(l2, l3)), "batch 1");
    }

    // ---- inclusion ----

    function test_oneBlock() public {
        _commit(_withBlocks(1, 3, l1));
        assertTrue(settlement.blockIncluded(0, 1, T1, 0, 3, new bytes32[](0)), "the leaf is the root");
        assertFalse(settlement.blockIncluded(0, 1, T1 + 1, 0, 3, new bytes32[](0)), "wrong timestamp");
        assertFalse(settlement.blockIncluded(0, 1, T1, 1, 3, new bytes32[](0)), "wrong first sequence");
        assertFalse(settlement.blockIncluded(0, 1, T1, 0, 2, new bytes32[](0)), "wrong tx count");
        assertFalse(settlement.blockIncluded(0, 1, T1, 0, 3, Smt.siblings(bytes32(0))), "a sibling too many");
    }

    function test_twoBlocks() public {
        _commit(_withBlocks(2, 3, Smt.inner(l1, l2)));
        assertTrue(settlement.blockIncluded(0, 1, T1, 0, 3, Smt.siblings(l2)), "block 1");
        assertTrue(settlement.blockIncluded(0, 2, T2, 3, 0, Smt.siblings(l1)), "block 2");

        assertFalse(settlement.blockIncluded(0, 2, T1, 3, 0, Smt.siblings(l1)), "block 2 with block 1's timestamp");
        assertFalse(settlement.blockIncluded(0, 2, T2, 0, 0, Smt.siblings(l1)), "block 2 with block 1's first sequence");
        assertFalse(settlement.blockIncluded(0, 2, T2, 3, 3, Smt.siblings(l1)), "block 2 with block 1's tx count");
        assertFalse(settlement.blockIncluded(0, 2, T1, 0, 3, Smt.siblings(l1)), "block 1's header as block 2");
        assertFalse(settlement.blockIncluded(0, 1, T1, 0, 3, new bytes32[](0)), "a sibling short");
    }

    /// Literal roots from ethers (solidityPackedKeccak256 over the same fields), so the hand-built trees above
    /// are not the only witness of the encoding: the C# side's BatchBlocksRootTests checks its own such vectors.
    function test_theRootsAreThoseEthersComputes() public view {
        assertEq(l1, 0x79205cf77da209b524ae262dd3aaac8e3c515494dd0bda4ee797f2715f3740f8, "{1}");
        assertEq(Smt.inner(l1, l2), 0x5de5db4ba35ec15ddf56f1a6482738008d386a7408ae198ea77733edd8c8f0d0, "{1, 2}");
    }

    function test_aLaterBatchsRangeStartsAfterThePreviousBatchsLastBlock() public {
        _commit(_withBlocks(1, 3, l1));
        _commit(_withBlocks(2, 5, Smt.inner(bytes32(0), Smt.inner(l2, l3))));
        assertTrue(settlement.blockIncluded(1, 2, T2, 3, 0, Smt.siblings(bytes32(0), l3)), "block 2");
        assertTrue(settlement.blockIncluded(1, 3, T3, 3, 5, Smt.siblings(bytes32(0), l2)), "block 3");
        assertTrue(settlement.blockIncluded(0, 1, T1, 0, 3, new bytes32[](0)), "block 1 in batch 0");
        assertFalse(settlement.blockIncluded(1, 3, T3, 3, 5, Smt.siblings(l2)), "block 3, a sibling short");
    }

    /// A root over more blocks than the batch's range (a lying sequencer's): the range, not the proof, decides.
    function test_aBlockOutsideTheBatchsRangeIsNotIncludedEvenWithAValidProof() public {
        _commit(_withBlocks(1, 3, Smt.inner(l1, l2))); // blocks 1..1, but the root also holds block 2
        assertTrue(settlement.blockIncluded(0, 1, T1, 0, 3, Smt.siblings(l2)), "inside the range");
        assertFalse(settlement.blockIncluded(0, 2, T2, 3, 0, Smt.siblings(l1)), "past the range");

        _commit(_withBlocks(1, 0, Smt.inner(l1, l2))); // blocks 2..2, the same root
        assertTrue(settlement.blockIncluded(1, 2, T2, 3, 0, Smt.siblings(l1)), "inside batch 1's range");
        assertFalse(settlement.blockIncluded(1, 1, T1, 0, 3, Smt.siblings(l2)), "before batch 1's range");
        assertFalse(settlement.blockIncluded(1, 3, T3, 3, 5, Smt.siblings(l1)), "past batch 1's range");
        assertFalse(settlement.blockIncluded(1, 0, T1, 0, 3, Smt.siblings(l2)), "block 0 is no block");
    }

    function test_anUnknownBatchIncludesNothing() public {
        assertFalse(settlement.blockIncluded(0, 1, T1, 0, 3, new bytes32[](0)), "no batch yet");
        _commit(_withBlocks(1, 3, l1));
        assertFalse(settlement.blockIncluded(1, 1, T1, 0, 3, new bytes32[](0)), "batch 1 not committed");
        assertFalse(settlement.blockIncluded(type(uint64).max, 1, T1, 0, 3, new bytes32[](0)), "the last batch index");
        assertTrue(settlement.blockIncluded(0, 1, T1, 0, 3, new bytes32[](0)), "batch 0 is");
    }

    function test_theHeaderIsTwentyBigEndianBytes() public pure {
        assertEq(_header(0x0102030405060708, 0x1112131415161718, 0x21222324), keccak256(hex"0102030405060708111213141516171821222324"), "header");
        assertEq(_key(0x0102030405060708), keccak256(hex"0102030405060708"), "key");
    }

    // ---- helpers ----

    /// The next batch of `blocks` blocks holding `txCount` transactions (a made-up tx root), with `blocksRoot`.
    function _withBlocks(uint64 blocks, uint64 txCount, bytes32 blocksRoot) private returns (IRollupSettlement.Commitment memory c) {
        c = _nextCommitment(keccak256(abi.encode("state", settlement.nextBatchIndex())), 0, blocks, 0);
        c.txCount = txCount;
        c.txRoot = txCount == 0 ? bytes32(0) : keccak256(abi.encode("transactions", c.batchIndex));
        c.blocksRoot = blocksRoot;
    }

    function _key(uint64 number) private pure returns (bytes32) {
        return keccak256(bytes.concat(bytes8(number)));
    }

    function _header(uint64 timestamp, uint64 firstSequence, uint32 txCount) private pure returns (bytes32) {
        return keccak256(bytes.concat(bytes8(timestamp), bytes8(firstSequence), bytes4(txCount)));
    }
}
