// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";

contract BatchesTest is SettlementFixture {
    bytes32 internal constant ROOT_1 = keccak256("root 1");
    bytes32 internal constant ROOT_2 = keccak256("root 2");

    // ---- batch data ----

    function test_partsFeedTheAccumulator() public {
        bytes memory part0 = "first part";
        bytes memory part1 = new bytes(1000);
        bytes32 acc1 = keccak256(abi.encodePacked(bytes32(0), keccak256(part0)));
        bytes32 acc2 = keccak256(abi.encodePacked(acc1, keccak256(part1)));

        vm.expectEmit(address(settlement));
        emit IRollupSettlement.BatchDataPosted(0, 0, keccak256(part0), acc1);
        assertEq(_post(part0), acc1, "after part 0");
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.BatchDataPosted(0, 1, keccak256(part1), acc2);
        assertEq(_post(part1), acc2, "after part 1");
        (uint32 parts, bytes32 acc) = settlement.pendingBatchData();
        assertEq(parts, 2, "parts");
        assertEq(acc, acc2, "accumulator");
    }

    function test_partsMustComeInOrderForTheNextBatch() public {
        vm.startPrank(SEQUENCER);
        vm.expectRevert(_err(IRollupSettlement.WrongPart.selector, 0, 1));
        settlement.postBatchData(0, 1, "x");
        vm.expectRevert(_err(IRollupSettlement.WrongBatchIndex.selector, 0, 1));
        settlement.postBatchData(1, 0, "x");
        settlement.postBatchData(0, 0, "x");
        vm.expectRevert(_err(IRollupSettlement.WrongPart.selector, 1, 0));
        settlement.postBatchData(0, 0, "x");
        vm.stopPrank();
    }

    function test_discardDropsThePostedParts() public {
        _post("a");
        _post("b");
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.BatchDataDiscarded(0, 2);
        vm.prank(SEQUENCER);
        settlement.discardBatchData();
        (uint32 parts, bytes32 acc) = settlement.pendingBatchData();
        assertEq(parts, 0, "parts");
        assertEq(acc, bytes32(0), "accumulator");
        // Posting starts over from part 0 and the commitment must name the new accumulator.
        bytes32 fresh = _post("c");
        assertEq(fresh, keccak256(abi.encodePacked(bytes32(0), keccak256("c"))), "fresh accumulator");
    }

    function test_onlyTheSequencerPostsDiscardsAndCommits() public {
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_1, 0, 1, 0);
        vm.startPrank(OPERATOR);
        vm.expectRevert(_err(IRollupSettlement.NotSequencer.selector, uint160(OPERATOR)));
        settlement.postBatchData(0, 1, "x");
        vm.expectRevert(_err(IRollupSettlement.NotSequencer.selector, uint160(OPERATOR)));
        settlement.discardBatchData();
        vm.expectRevert(_err(IRollupSettlement.NotSequencer.selector, uint160(OPERATOR)));
        settlement.commitBatch(c, nextClaims);
        vm.stopPrank();
    }

    // ---- commitments ----

    function test_commitRecordsTheBatchAndEmits() public {
        vm.roll(START_BLOCK + 7);
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_1, keccak256("w"), 4, 0);
        bytes32 hash = keccak256(abi.encode(c));
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.BatchCommitted(0, hash, ROOT_1, keccak256("w"), 0, 1, 4, 0, 0, bytes32(0), c.blocksRoot, c.claimsRoot);
        _commit(c);

        IRollupSettlement.Batch memory b = settlement.batch(0);
        assertEq(b.stateRoot, ROOT_1, "state root");
        assertEq(b.withdrawalsRoot, keccak256("w"), "withdrawals root");
        assertEq(b.commitmentHash, hash, "commitment hash");
        assertEq(b.recordedAt, START_BLOCK + 7, "recorded at");
        assertEq(b.finalAt, START_BLOCK + 7 + CHALLENGE_WINDOW, "final at");
        assertEq(b.lastBlock, 4, "last block");
        assertEq(settlement.nextBatchIndex(), 1, "next batch index");
        assertEq(settlement.nextL2Block(), 5, "next L2 block");
        assertEq(settlement.lastStateRoot(), ROOT_1, "last state root");
        assertEq(settlement.lastCommitAt(), START_BLOCK + 7, "last commit at");
        (uint32 parts, bytes32 acc) = settlement.pendingBatchData();
        assertEq(parts, 0, "parts reset");
        assertEq(acc, bytes32(0), "accumulator reset");
    }

    function test_chainsOfCommitments() public {
        assertEq(settlement.lastStateRoot(), GENESIS_ROOT, "genesis before the first");
        _commitNext(ROOT_1, 0);
        _commitNext(ROOT_2, 0);
        assertEq(settlement.nextBatchIndex(), 2, "two batches");
        assertEq(settlement.batch(1).stateRoot, ROOT_2, "second root");
        assertEq(settlement.nextL2Block(), 11, "blocks 1..10");
    }

    function test_wrongBatchIndexIsRefused() public {
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_1, 0, 1, 0);
        c.batchIndex = 1;
        vm.expectRevert(_err(IRollupSettlement.WrongBatchIndex.selector, 0, 1));
        _commit(c);
    }

    function test_wrongPrevRootIsRefused() public {
        _commitNext(ROOT_1, 0);
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_2, 0, 1, 0);
        c.prevStateRoot = GENESIS_ROOT;
        vm.expectRevert(_err(IRollupSettlement.WrongPrevStateRoot.selector, ROOT_1, GENESIS_ROOT));
        _commit(c);
    }

    function test_firstBlockMustFollowTheLastOne() public {
        _commitNext(ROOT_1, 0); // L2 blocks 1..5
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_2, 0, 1, 0);
        c.firstBlock = 7;
        c.lastBlock = 9;
        vm.expectRevert(_err(IRollupSettlement.WrongFirstBlock.selector, 6, 7));
        _commit(c);
        c.firstBlock = 5;
        vm.expectRevert(_err(IRollupSettlement.WrongFirstBlock.selector, 6, 5));
        _commit(c);
    }

    function test_firstBatchStartsAtBlockOne() public {
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_1, 0, 1, 0);
        c.firstBlock = 0;
        vm.expectRevert(_err(IRollupSettlement.WrongFirstBlock.selector, 1, 0));
        _commit(c);
    }

    function test_lastBlockBeforeFirstIsRefused() public {
        _commitNext(ROOT_1, 0);
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_2, 0, 1, 0);
        c.lastBlock = c.firstBlock - 1;
        vm.expectRevert(_err(IRollupSettlement.BadBlockRange.selector, 6, 5));
        _commit(c);
    }

    function test_dataHashMustBeTheAccumulator() public {
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_1, 0, 1, 0);
        bytes32 acc = c.batchDataHash;
        c.batchDataHash = keccak256("other data");
        vm.expectRevert(_err(IRollupSettlement.WrongBatchDataHash.selector, acc, keccak256("other data")));
        _commit(c);
    }

    function test_aCommitmentNeedsPostedData() public {
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_1, 0, 1, 0);
        vm.prank(SEQUENCER);
        settlement.discardBatchData();
        c.batchDataHash = bytes32(0);
        vm.expectRevert(IRollupSettlement.NoBatchData.selector);
        _commit(c);
    }

    function test_depositCursorNeverDecreasesNorPassesTheQueue() public {
        _deposit(ALICE, 10, ALICE);
        _deposit(ALICE, 20, BOB);
        _commit(_nextCommitment(ROOT_1, 0, 1, 2));
        assertEq(settlement.depositCursor(), 2, "cursor");

        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_2, 0, 1, 1);
        vm.expectRevert(_err(IRollupSettlement.DepositCursorDecreased.selector, 2, 1));
        _commit(c);
        c.depositCursor = 3;
        vm.expectRevert(_err(IRollupSettlement.DepositCursorBeyondQueue.selector, 2, 3));
        _commit(c);
        c.depositCursor = 2;
        _commit(c);
        assertEq(settlement.batch(1).depositCursor, 2, "same cursor is fine");
    }

    // ---- forced inclusion ----

    function test_aDepositIsOverdueAfterTheInclusionWindow() public {
        _deposit(ALICE, 10, ALICE); // queued at START_BLOCK
        vm.roll(START_BLOCK + FORCED_INCLUSION - 1);
        _commit(_nextCommitment(ROOT_1, 0, 1, 0)); // still within the window
        vm.roll(START_BLOCK + FORCED_INCLUSION);
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_2, 0, 1, 0);
        vm.expectRevert(_err(IRollupSettlement.OverdueDeposit.selector, 0));
        _commit(c);
        c.depositCursor = 1;
        _commit(c);
        assertEq(settlement.depositCursor(), 1, "consumed");
    }

    function test_onlyTheFirstUnconsumedDepositCounts() public {
        _deposit(ALICE, 10, ALICE);
        _deposit(ALICE, 10, ALICE);
        vm.roll(START_BLOCK + 15);
        _deposit(ALICE, 10, ALICE); // index 2, fresh
        vm.roll(START_BLOCK + FORCED_INCLUSION + 5);
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_1, 0, 1, 1);
        vm.expectRevert(_err(IRollupSettlement.OverdueDeposit.selector, 1));
        _commit(c);
        c.depositCursor = 2;
        _commit(c); // deposit 2 was queued 10 blocks ago
        assertEq(settlement.depositCursor(), 2, "cursor");
    }

    function testFuzz_overdueExactlyAtTheWindow(uint8 wait, uint8 extraDeposits) public {
        _deposit(ALICE, 10, ALICE);
        for (uint256 i = 0; i < extraDeposits % 4; i++) {
            _deposit(ALICE, 10, ALICE);
        }
        vm.roll(START_BLOCK + wait);
        IRollupSettlement.Commitment memory c = _nextCommitment(ROOT_1, 0, 1, 0);
        if (wait >= FORCED_INCLUSION) {
            vm.expectRevert(_err(IRollupSettlement.OverdueDeposit.selector, 0));
            _commit(c);
        } else {
            _commit(c);
            assertEq(settlement.nextBatchIndex(), 1, "accepted");
        }
    }

    // ---- finality ----

    function test_finalOnlyAfterTheChallengeWindow() public {
        vm.roll(START_BLOCK + 3);
        _commitNext(ROOT_1, 0);
        assertFalse(settlement.isFinalized(0), "at once");
        vm.roll(START_BLOCK + 3 + CHALLENGE_WINDOW - 1);
        assertFalse(settlement.isFinalized(0), "one block early");
        assertEq(settlement.finalBatchCount(), 0, "none final");
        vm.roll(START_BLOCK + 3 + CHALLENGE_WINDOW);
        assertTrue(settlement.isFinalized(0), "at the window");
        assertEq(settlement.finalBatchCount(), 1, "one final");
        assertFalse(settlement.isFinalized(1), "unknown batch");
    }

    function testFuzz_finalBatchesAreThePrefixRecordedLongEnoughAgo(uint8[8] memory gaps, uint16 probe) public {
        uint64 blockNumber = START_BLOCK;
        for (uint256 i = 0; i < gaps.length; i++) {
            blockNumber += gaps[i] % 7;
            vm.roll(blockNumber);
            _commitNext(keccak256(abi.encode(i)), 0);
        }
        uint64 probeBlock = START_BLOCK + uint64(probe % 80);
        vm.roll(probeBlock);
        uint256 expected;
        for (uint64 i = 0; i < gaps.length; i++) {
            bool final_ = settlement.batch(i).recordedAt + CHALLENGE_WINDOW <= probeBlock;
            assertEq(settlement.isFinalized(i) ? 1 : 0, final_ ? 1 : 0, "isFinalized");
            if (final_) expected = i + 1;
        }
        assertEq(settlement.finalBatchCount(), expected, "final batch count");
    }

    function test_aShorterWindowNeverFinalizesABatchBeforeItsPredecessor() public {
        vm.prank(OPERATOR);
        settlement.proposeConfig(IRollupSettlement.Config(1000, FORCED_INCLUSION, ESCAPE_TIMEOUT));
        vm.roll(START_BLOCK + TIMELOCK);
        settlement.executeConfig();
        _commitNext(ROOT_1, 0); // final at START_BLOCK + TIMELOCK + 1000
        vm.prank(OPERATOR);
        settlement.proposeConfig(IRollupSettlement.Config(5, FORCED_INCLUSION, ESCAPE_TIMEOUT));
        vm.roll(START_BLOCK + 2 * TIMELOCK);
        settlement.executeConfig();
        _commitNext(ROOT_2, 0);
        assertEq(settlement.batch(1).finalAt, START_BLOCK + TIMELOCK + 1000, "held back to its predecessor's");
        vm.roll(START_BLOCK + 2 * TIMELOCK + 5);
        assertFalse(settlement.isFinalized(1), "not final by the shorter window alone");
    }

    function test_unknownBatchGetter() public {
        vm.expectRevert(_err(IRollupSettlement.UnknownBatch.selector, 0));
        settlement.batch(0);
    }
}
