// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {ProverFixture} from "./lib/ProverFixture.sol";
import {StepTrees} from "../steps/lib/StepTrees.sol";
import {Smt} from "../lib/Smt.sol";
import {Claims} from "../lib/Claims.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {AccountsStepVerifier} from "../../src/steps/AccountsStepVerifier.sol";
import {AccountsState, Leaf} from "../../src/steps/AccountsStepTypes.sol";
import {MarketState} from "../../src/steps/markets/MarketStepTypes.sol";
import {MarketOutboxClaim} from "../../src/disputes/OutboxClaims.sol";
import {AccountsOneStepProver} from "../../src/disputes/AccountsOneStepProver.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../src/disputes/DisputeGame.sol";
import {FixedProver} from "./lib/MockProvers.sol";

/// The accounts prover over the deployed AccountsStepVerifier and a real settlement contract (ProverFixture): steps
/// of StepFixture's world, built from the rules of docs/steps.md, proven against a committed batch's roots and the
/// settlement's deposit queue, alone and as the end of a game.
contract AccountsOneStepProverTest is ProverFixture {
    using StepTrees for StepTrees.Tree;

    uint8 internal constant ACCEPTED = 0;
    uint8 internal constant DEPOSIT_OUT_OF_ORDER = 14;

    AccountsOneStepProver internal prover;
    FixedProver internal marketJudge;
    DisputeGame internal judgedGame;

    function setUp() public override {
        super.setUp();
        prover = new AccountsOneStepProver(settlement, verifier);
    }

    // ---- helpers ----

    function _proof(World memory w, Leaf[] memory witness) internal pure returns (bytes memory) {
        return abi.encode(state(w), new MarketOutboxClaim[](0), witness);
    }

    function _prove(uint64 batchIndex, bytes memory proof) internal view returns (bytes32 pre, bytes32 post) {
        return prover.prove(batchIndex, settlement.batch(batchIndex), 0, proof);
    }

    /// Reads the batch record first: the next call after an expectRevert must be the prover's.
    function _expectRefusal(uint64 batchIndex, bytes memory proof, bytes memory refusal) internal {
        IRollupSettlement.Batch memory record = settlement.batch(batchIndex);
        vm.expectRevert(refusal);
        prover.prove(batchIndex, record, 0, proof);
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
        (e.state.txIndex, e.state.replyCount, e.state.nextReply, e.state.nextSlot) = (0, 0, 0, 0);
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
        assertEq(pre, _hash(state(w)), "pre: keccak256 of the seventeen words before");
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

    // ---- outboxes, each vouched for by its market's claim ----

    /// After the block's transactions, reply 0 expected from market 2 for transaction 0, alice's 250 at (block 7,
    /// tx 0) of market 2's outbox; the batch claims the accounts domain and markets 1 and 2, each market's end state
    /// holding its outbox.
    function _atReply()
        internal
        view
        returns (World memory w, StepTrees.Tree memory mo, IRollupSettlement.DomainClaim[] memory claims, MarketState[] memory ends)
    {
        w = world();
        w.state.txIndex = w.state.txCount;
        mo = StepTrees.empty().put(kBlockTx(BLOCK, 5), rAccountAmount(bob, 1)).put(kBlockTx(BLOCK, 0), rAccountAmount(alice, 250));
        ends = new MarketState[](2);
        (ends[0].market, ends[0].block, ends[0].outbox) = (OTHER_MARKET, BLOCK + 3, keccak256("market 1's outbox"));
        (ends[1].market, ends[1].block, ends[1].outbox) = (MARKET, BLOCK + 3, mo.root());
        ends[1].recordHash = keccak256("market 2's record");
        claims = new IRollupSettlement.DomainClaim[](3);
        claims[0] = IRollupSettlement.DomainClaim(0, 0, keccak256("accounts start"), keccak256("accounts end"), 60);
        claims[1] = IRollupSettlement.DomainClaim(1, OTHER_MARKET, keccak256("market 1's start"), _marketHash(ends[0]), 9);
        claims[2] = IRollupSettlement.DomainClaim(1, MARKET, keccak256("market 2's start"), _marketHash(ends[1]), 31);
    }

    function _marketHash(MarketState memory s) internal pure returns (bytes32) {
        return keccak256(abi.encode(s));
    }

    /// Claim `i` of `claims` (a market's) opened with its end state `end`.
    function _outboxClaim(IRollupSettlement.DomainClaim[] memory claims, uint256 i, MarketState memory end)
        internal
        pure
        returns (MarketOutboxClaim memory)
    {
        IRollupSettlement.DomainClaim memory c = claims[i];
        return MarketOutboxClaim(c.market, c.start, end, c.steps, Claims.proof(claims, 1, c.market));
    }

    function _bothOutboxes(IRollupSettlement.DomainClaim[] memory claims, MarketState[] memory ends)
        internal
        pure
        returns (MarketOutboxClaim[] memory o)
    {
        o = new MarketOutboxClaim[](2);
        (o[0], o[1]) = (_outboxClaim(claims, 1, ends[0]), _outboxClaim(claims, 2, ends[1]));
    }

    function _replyWitness(World memory w, StepTrees.Tree memory mo) internal view returns (Leaf[] memory) {
        return leaves(w.replies.leaf(kU32(0)), mo.leaf(kBlockTx(BLOCK, 0)), w.accounts.leaf(kAccount(alice)));
    }

    function test_aReplyIsProvenWithItsMarketsOutboxClaim() public {
        (World memory w, StepTrees.Tree memory mo, IRollupSettlement.DomainClaim[] memory claims, MarketState[] memory ends) = _atReply();
        uint64 b = _commit(w, claims);
        (bytes32 pre, bytes32 post) = _prove(b, abi.encode(state(w), _bothOutboxes(claims, ends), _replyWitness(w, mo)));
        World memory e = clone(w);
        e.state.nextReply = 1;
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(1250, 4, 0x1f, MARKET, BLOCK, 250));
        assertEq(pre, _hash(state(w)), "pre");
        assertEq(post, _hash(state(e)), "alice credited 250 from market 2's claimed outbox");
        bytes memory proofOf = prover.proofOf(state(w), _bothOutboxes(claims, ends), _replyWitness(w, mo));
        assertEq(keccak256(proofOf), keccak256(abi.encode(state(w), _bothOutboxes(claims, ends), _replyWitness(w, mo))), "proofOf");
    }

    function test_aReplyReadsTheClaimOfTheMarketItsRepliesLeafNames() public {
        (World memory w, StepTrees.Tree memory mo, IRollupSettlement.DomainClaim[] memory claims, MarketState[] memory ends) = _atReply();
        bytes memory proof = abi.encode(state(w), _bothOutboxes(claims, ends), _replyWitness(w, mo));
        (bytes32 pre, bool reads, uint8 kind, uint32 market) = prover.inputOf(0, proof);
        assertEq(pre, _hash(state(w)), "the pre-state's hash");
        assertTrue(reads, "a Reply reads a market's claim");
        assertEq(kind, 1, "a market");
        assertEq(market, MARKET, "the one reply 0 is expected from, not the other outbox given");
    }

    function test_noOtherAccountsStepReadsAnotherClaim() public {
        World memory w = _atBlockEnd();
        (bytes32 pre, bool reads,,) = prover.inputOf(0, _proof(w, leaves(w.blocks.leaf(kU64(BLOCK + 1)))));
        assertEq(pre, _hash(state(w)), "pre");
        assertFalse(reads, "a BlockStart reads no claim");
        World memory atTx = _atBlockEnd();
        (atTx.state.txCount, atTx.state.txIndex) = (2, 1);
        (, reads,,) = prover.inputOf(0, _proof(atTx, leaves(w.blocks.leaf(kU64(BLOCK + 1)))));
        assertFalse(reads, "a transaction step reads no claim, replies pending or not");
    }

    function test_anOutboxNoMarketClaimVouchesForIsRefused() public {
        (World memory w, StepTrees.Tree memory mo, IRollupSettlement.DomainClaim[] memory claims, MarketState[] memory ends) = _atReply();
        uint64 b = _commit(w, claims);
        bytes memory refusal = abi.encodeWithSelector(AccountsOneStepProver.OutboxNotClaimed.selector, MARKET);
        Leaf[] memory witness = _replyWitness(w, mo);

        // An end state other than the claimed one: its outbox root is not taken.
        MarketOutboxClaim[] memory o = _bothOutboxes(claims, ends);
        o[1].end.outbox = keccak256("another outbox");
        _expectRefusal(b, abi.encode(state(w), o, witness), refusal);
        o = _bothOutboxes(claims, ends);
        o[1].siblings[0] = keccak256(abi.encode(o[1].siblings[0]));
        _expectRefusal(b, abi.encode(state(w), o, witness), refusal);
        o = _bothOutboxes(claims, ends);
        o[1].steps += 1;
        _expectRefusal(b, abi.encode(state(w), o, witness), refusal);
        o = _bothOutboxes(claims, ends);
        o[1].start = keccak256("another start");
        _expectRefusal(b, abi.encode(state(w), o, witness), refusal);
        // Market 2's claim under another market's id.
        o = _bothOutboxes(claims, ends);
        o[1].market = 5;
        _expectRefusal(b, abi.encode(state(w), o, witness), abi.encodeWithSelector(AccountsOneStepProver.OutboxNotClaimed.selector, 5));
    }

    function test_outboxClaimsOutOfOrderAreRefused() public {
        (World memory w, StepTrees.Tree memory mo, IRollupSettlement.DomainClaim[] memory claims, MarketState[] memory ends) = _atReply();
        uint64 b = _commit(w, claims);
        MarketOutboxClaim[] memory o = _bothOutboxes(claims, ends);
        (o[0], o[1]) = (o[1], o[0]);
        _expectRefusal(b, abi.encode(state(w), o, _replyWitness(w, mo)), abi.encodeWithSelector(AccountsOneStepProver.OutboxesOutOfOrder.selector, OTHER_MARKET));
        o[0] = o[1];
        _expectRefusal(b, abi.encode(state(w), o, _replyWitness(w, mo)), abi.encodeWithSelector(AccountsOneStepProver.OutboxesOutOfOrder.selector, OTHER_MARKET));
    }

    function test_aReplyWithoutItsMarketsClaimIsNotProvable() public {
        (World memory w, StepTrees.Tree memory mo, IRollupSettlement.DomainClaim[] memory claims, MarketState[] memory ends) = _atReply();
        uint64 b = _commit(w, claims);
        MarketOutboxClaim[] memory o = new MarketOutboxClaim[](1);
        o[0] = _outboxClaim(claims, 1, ends[0]);
        _expectRefusal(b, abi.encode(state(w), o, _replyWitness(w, mo)), abi.encodeWithSelector(AccountsStepVerifier.NoMarketOutbox.selector, MARKET));
    }

    // ---- a trace's end ----

    /// The batch's last block (BLOCK + 1, the last header in blocksRoot) done: the next step would be the BlockStart
    /// of a block the batch does not hold, so no step follows, and proveNotEnded cannot fell a claim ending here.
    function test_noStepFollowsABatchsLastBlock() public {
        World memory w = _afterBlockStart(_atBlockEnd());
        w.state.txIndex = w.state.txCount;
        uint64 b = _commit(w, _accountsOnly(keccak256("start"), _hash(state(w))));
        // Its header's leaf (witness leaf 0) opens no blocksRoot: there is none.
        _expectRefusal(b, _proof(w, leaves(w.blocks.leaf(kU64(BLOCK + 2)))), abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 0));
        // The block before it is followed by a step: the header of BLOCK + 1 is there.
        World memory before = _atBlockEnd();
        (bytes32 pre,) = _prove(b, _proof(before, leaves(before.blocks.leaf(kU64(BLOCK + 1)))));
        assertEq(pre, _hash(state(before)), "a step follows the end of BLOCK");
    }

    // ---- a market's claim as it stands ----

    /// Market 2's one-step claim in the batch lies about its outbox; a game set on the settlement (market steps judged
    /// by a fixed mock) fells it and the sequencer re-posts the true end. The Reply then reads alice's credit from the
    /// re-posted claim, taken with no siblings, and the voided original is refused.
    function test_aRepostedMarketClaimIsTheOutboxAReplyReads() public {
        (World memory w, StepTrees.Tree memory mo, IRollupSettlement.DomainClaim[] memory claims, MarketState[] memory ends) = _atReply();
        MarketState memory lie = abi.decode(abi.encode(ends[1]), (MarketState)); // a copy, not an alias
        lie.outbox = keccak256("an outbox without alice's reply");
        bytes32 trueEnd = _marketHash(ends[1]);
        claims[2] = IRollupSettlement.DomainClaim(1, MARKET, claims[2].start, _marketHash(lie), 1);
        _wireMarketJudge();
        uint64 b = _commit(w, claims);
        MarketOutboxClaim[] memory o = new MarketOutboxClaim[](1);
        o[0] = _outboxClaim(claims, 2, lie);
        bytes32[] memory siblings = o[0].siblings;

        _fellAndRepostMarket(b, claims[2], siblings, trueEnd);

        _expectRefusal(b, abi.encode(state(w), o, _replyWitness(w, mo)), abi.encodeWithSelector(AccountsOneStepProver.OutboxNotClaimed.selector, MARKET));
        o[0] = MarketOutboxClaim(MARKET, claims[2].start, ends[1], 1, new bytes32[](0));
        (, bytes32 post) = _prove(b, abi.encode(state(w), o, _replyWitness(w, mo)));
        World memory e = clone(w);
        e.state.nextReply = 1;
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(1250, 4, 0x1f, MARKET, BLOCK, 250));
        assertEq(post, _hash(state(e)), "alice credited 250 from market 2's re-posted outbox");
        o[0].siblings = siblings;
        _expectRefusal(b, abi.encode(state(w), o, _replyWitness(w, mo)), abi.encodeWithSelector(AccountsOneStepProver.OutboxNotClaimed.selector, MARKET));
    }

    /// A game set on the settlement through its time lock (delay 0): accounts steps by this prover, market steps by
    /// a fixed mock.
    function _wireMarketJudge() internal {
        marketJudge = new FixedProver();
        judgedGame = new DisputeGame(address(settlement), address(prover), address(marketJudge), 1 ether, 2 ether, 100, 100_000);
        vm.prank(address(0x0BE));
        settlement.proposeDisputeGame(address(judgedGame));
        settlement.executeDisputeGame();
    }

    /// A challenger fells market `claim` (the judge rules its one step reaches `trueEnd`); the sequencer re-posts it.
    function _fellAndRepostMarket(uint64 b, IRollupSettlement.DomainClaim memory claim, bytes32[] memory siblings, bytes32 trueEnd)
        internal
    {
        pvm.deal(alice, 10 ether);
        vm.prank(alice);
        bytes32 id = judgedGame.challenge{value: 1 ether}(b, 1, claim.market, claim.start, claim.end, 1, siblings, trueEnd);
        marketJudge.set(claim.start, trueEnd);
        judgedGame.prove(id, "");
        assertTrue(judgedGame.claimFallen(b, 1, claim.market), "market 2's claim fell");
        IRollupSettlement.RepostedClaim[] memory reposted = new IRollupSettlement.RepostedClaim[](1);
        reposted[0] = IRollupSettlement.RepostedClaim(claim.start, trueEnd, 1);
        vm.prank(SEQUENCER);
        settlement.repostClaims(1, claim.market, b, IRollupSettlement.ReplacedClaim(claim.end, 1, siblings), reposted);
    }

    // ---- a game ended by the real prover ----

    function test_aGameOverABlockStartEndsByTheVerifier() public {
        World memory w = _atBlockEnd();
        bytes32 start = _hash(state(w));
        bytes32 trueEnd = _hash(state(_afterBlockStart(w)));
        bytes32 falseEnd = keccak256("a wrong end");
        // Batch 0 claims the true end, batch 1 a false one, each a one-step accounts claim.
        _commit(w, _accountsOnly(start, trueEnd));
        _commit(w, _accountsOnly(start, falseEnd));
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

    function _accountsOnly(bytes32 start, bytes32 end) internal pure returns (IRollupSettlement.DomainClaim[] memory claims) {
        claims = new IRollupSettlement.DomainClaim[](1);
        claims[0] = IRollupSettlement.DomainClaim(0, 0, start, end, 1);
    }
}
