// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepFixture} from "../steps/lib/StepFixture.sol";
import {StepTrees} from "../steps/lib/StepTrees.sol";
import {Smt} from "../lib/Smt.sol";
import {Claims} from "../lib/Claims.sol";
import {MockUSDC} from "../../src/MockUSDC.sol";
import {RollupSettlement} from "../../src/RollupSettlement.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {AccountsStepVerifier} from "../../src/steps/AccountsStepVerifier.sol";
import {AccountsState, Leaf, MarketOutbox} from "../../src/steps/AccountsStepTypes.sol";
import {AccountsOneStepProver} from "../../src/disputes/AccountsOneStepProver.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../src/disputes/DisputeGame.sol";

interface ProverVm {
    function deal(address account, uint256 balance) external;
}

/// The accounts prover over the deployed AccountsStepVerifier and a real settlement contract: steps of
/// StepFixture's world, built from the rules of docs/steps.md, proven against a committed batch's roots and the
/// settlement's deposit queue, alone and as the end of a game.
contract AccountsOneStepProverTest is StepFixture {
    using StepTrees for StepTrees.Tree;

    ProverVm internal constant pvm = ProverVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    address internal constant SEQUENCER = address(0x5E0);
    address internal constant DEPOSITOR = address(0xDE9);
    uint8 internal constant ACCEPTED = 0;
    uint8 internal constant DEPOSIT_OUT_OF_ORDER = 14;

    MockUSDC internal usdc;
    RollupSettlement internal settlement;
    AccountsOneStepProver internal prover;

    function setUp() public override {
        super.setUp();
        vm.roll(1000);
        usdc = new MockUSDC();
        settlement = new RollupSettlement(
            address(usdc), SEQUENCER, address(0x0BE), IRollupSettlement.Config(10, 20, 50), 0, keccak256("genesis")
        );
        prover = new AccountsOneStepProver(settlement, verifier);
        usdc.mint(DEPOSITOR, 1e9);
        vm.prank(DEPOSITOR);
        usdc.approve(address(settlement), type(uint256).max);
    }

    // ---- helpers ----

    function _queue(address account, uint64 amount) internal {
        vm.prank(DEPOSITOR);
        settlement.deposit(amount, account);
    }

    /// Commits the next batch with the world's transaction and block roots and `claims`.
    function _commit(World memory w, IRollupSettlement.DomainClaim[] memory claims) internal returns (uint64 index) {
        index = settlement.nextBatchIndex();
        vm.prank(SEQUENCER);
        settlement.postBatchData(index, 0, abi.encodePacked("batch ", index));
        (, bytes32 accumulator) = settlement.pendingBatchData();
        uint64 first = settlement.nextL2Block();
        IRollupSettlement.Commitment memory c = IRollupSettlement.Commitment({
            batchIndex: index,
            firstBlock: first,
            lastBlock: first + 9,
            batchDataHash: accumulator,
            prevStateRoot: settlement.lastStateRoot(),
            newStateRoot: keccak256(abi.encode("state", index)),
            marketRootsRoot: bytes32(0),
            withdrawalsRoot: bytes32(0),
            depositCursor: settlement.depositCursor(),
            firstSequence: settlement.nextSequence(),
            txCount: 200,
            txRoot: w.txs.root(),
            blocksRoot: w.blocks.root(),
            claimsRoot: Claims.root(claims)
        });
        vm.prank(SEQUENCER);
        settlement.commitBatch(c, claims);
    }

    function _accountsClaim(bytes32 start, bytes32 end) internal pure returns (IRollupSettlement.DomainClaim[] memory claims) {
        claims = new IRollupSettlement.DomainClaim[](1);
        claims[0] = IRollupSettlement.DomainClaim(0, 0, start, end, 1);
    }

    function _proof(World memory w, Leaf[] memory witness) internal pure returns (bytes memory) {
        return abi.encode(state(w), new MarketOutbox[](0), witness);
    }

    function _prove(uint64 batchIndex, bytes memory proof) internal view returns (bytes32 pre, bytes32 post) {
        return prover.prove(settlement.batch(batchIndex), 0, proof);
    }

    /// Reads the batch record first: the next call after an expectRevert must be the prover's.
    function _expectRefusal(uint64 batchIndex, bytes memory proof, bytes memory refusal) internal {
        IRollupSettlement.Batch memory record = settlement.batch(batchIndex);
        vm.expectRevert(refusal);
        prover.prove(record, 0, proof);
    }

    function _hash(AccountsState memory s) internal pure returns (bytes32) {
        return keccak256(abi.encode(s));
    }

    function _atBlockEnd() internal view returns (World memory w) {
        w = world();
        w.state.txIndex = w.state.txCount;
        w.state.nextReply = w.state.replyCount;
    }

    /// The world after the BlockStart of block 8 (docs/steps.md, "BlockStart").
    function _afterBlockStart(World memory w) internal pure returns (World memory e) {
        e = clone(w);
        e.state.block = BLOCK + 1;
        e.state.firstSequence = FIRST_SEQUENCE + 5;
        e.state.txCount = 3;
        (e.state.txIndex, e.state.replyCount, e.state.nextReply) = (0, 0, 0);
        e.replies = StepTrees.empty();
        e.routed = StepTrees.empty();
    }

    function _depositTx(address account, uint64 amount, uint64 index) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(1), account, amount, index);
    }

    // ---- the prover ----

    function test_aBlockStartIsProvenAgainstTheBatchRecord() public {
        World memory w = _atBlockEnd();
        uint64 b = _commit(w, Claims.accountsOnly("claims"));
        (bytes32 pre, bytes32 post) = _prove(b, _proof(w, leaves(w.blocks.leaf(kU64(BLOCK + 1)))));
        assertEq(pre, _hash(state(w)), "pre: keccak256 of the sixteen words before");
        assertEq(post, _hash(state(_afterBlockStart(w))), "post: after the block's start");
    }

    function test_theRootsAreThoseOfTheBatchNamed() public {
        World memory w = _atBlockEnd();
        _commit(w, Claims.accountsOnly("claims"));
        World memory other = _atBlockEnd();
        other.blocks = other.blocks.put(kU64(BLOCK + 1), rHeader(1_700_000_009, FIRST_SEQUENCE + 5, 3));
        uint64 b = _commit(other, Claims.accountsOnly("claims"));
        bytes memory proof = _proof(w, leaves(w.blocks.leaf(kU64(BLOCK + 1))));
        _expectRefusal(b, proof, abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 0));
        _prove(0, proof);
    }

    function test_aDepositIsTheQueuesRecord() public {
        _queue(alice, 1);
        _queue(alice, 2);
        _queue(alice, 3);
        _queue(bob, 70);
        World memory w = withTx(world(), _depositTx(bob, 70, 3));
        uint64 b = _commit(w, Claims.accountsOnly("claims"));
        World memory e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(bob), rAccount(570, 0, 1));
        e.state.nextDepositIndex = 4;
        e.state.totalDeposits = 10_070;
        (bytes32 pre, bytes32 post) = _prove(b, _proof(w, leaves(txLeaf(w), w.accounts.leaf(kAccount(bob)))));
        assertEq(pre, _hash(state(w)), "pre");
        assertEq(post, _hash(state(e)), "bob credited 70");
    }

    function test_aDepositTheQueueDoesNotHoldIsNotProvable() public {
        _queue(alice, 1);
        _queue(alice, 2);
        _queue(alice, 3);
        World memory w = withTx(world(), _depositTx(bob, 70, 3));
        uint64 b = _commit(w, Claims.accountsOnly("claims"));
        bytes memory proof = _proof(w, leaves(txLeaf(w), w.accounts.leaf(kAccount(bob))));
        // Past the queue's end: the prover passes a zero deposit.
        _expectRefusal(b, proof, abi.encodeWithSelector(AccountsStepVerifier.DepositNotOnL1.selector));
        // Queued with another amount.
        _queue(bob, 71);
        _expectRefusal(b, proof, abi.encodeWithSelector(AccountsStepVerifier.DepositNotOnL1.selector));
    }

    function test_anOutOfOrderDepositIsReadAtItsOwnIndex() public {
        _queue(alice, 1);
        _queue(alice, 2);
        _queue(alice, 3);
        _queue(carol, 5); // index 3, the state's next
        _queue(bob, 70); // index 4, the transaction's
        World memory w = withTx(world(), _depositTx(bob, 70, 4));
        uint64 b = _commit(w, Claims.accountsOnly("claims"));
        (, bytes32 post) = _prove(b, _proof(w, leaves(txLeaf(w))));
        assertEq(post, _hash(state(decided(clone(w), DEPOSIT_OUT_OF_ORDER))), "refused out of order, but L1's");
    }

    function test_anOutboxIsNotAccepted() public {
        World memory w = _atBlockEnd();
        uint64 b = _commit(w, Claims.accountsOnly("claims"));
        MarketOutbox[] memory outboxes = new MarketOutbox[](1);
        outboxes[0] = MarketOutbox(MARKET, keccak256("an outbox root"));
        bytes memory proof = abi.encode(state(w), outboxes, leaves(w.blocks.leaf(kU64(BLOCK + 1))));
        _expectRefusal(b, proof, abi.encodeWithSelector(AccountsOneStepProver.OutboxNotClaimed.selector, MARKET));
    }

    function test_aReplyCannotBeProvenYet() public {
        World memory w = world();
        w.state.txIndex = w.state.txCount; // reply 0 of market 2 is next
        uint64 b = _commit(w, Claims.accountsOnly("claims"));
        _expectRefusal(b, _proof(w, leaves(w.replies.leaf(kU32(0)))), abi.encodeWithSelector(AccountsStepVerifier.NoMarketOutbox.selector, MARKET));
    }

    // ---- a game ended by the real prover ----

    function test_aGameOverABlockStartEndsByTheVerifier() public {
        World memory w = _atBlockEnd();
        bytes32 start = _hash(state(w));
        bytes32 trueEnd = _hash(state(_afterBlockStart(w)));
        bytes32 falseEnd = keccak256("a wrong end");
        // Batch 0 claims the true end, batch 1 a false one, each a one-step accounts claim.
        _commit(w, _accountsClaim(start, trueEnd));
        _commit(w, _accountsClaim(start, falseEnd));
        DisputeGame game = new DisputeGame(address(settlement), address(prover), address(0), 1 ether, 2 ether, 100, 100_000);
        pvm.deal(alice, 10 ether);
        bytes memory proof = _proof(w, leaves(w.blocks.leaf(kU64(BLOCK + 1))));

        vm.prank(alice);
        bytes32 lost = game.challenge{value: 1 ether}(0, 0, 0, start, trueEnd, 1, new bytes32[](0), falseEnd);
        game.prove(lost, proof);
        assertEq(uint256(game.game(lost).status), uint256(IDisputeGame.Status.DefenderWon), "the true claim stands");

        vm.prank(alice);
        bytes32 won = game.challenge{value: 1 ether}(1, 0, 0, start, falseEnd, 1, new bytes32[](0), trueEnd);
        game.prove(won, proof);
        assertEq(uint256(game.game(won).status), uint256(IDisputeGame.Status.ChallengerWon), "the false claim falls");
        assertTrue(game.claimFallen(1, 0, 0), "fallen");
        assertFalse(game.claimFallen(0, 0, 0), "the true one stands");
    }
}
