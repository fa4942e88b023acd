// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {ProverFixture} from "./lib/ProverFixture.sol";
import {StepTrees} from "../steps/lib/StepTrees.sol";
import {Claims} from "../lib/Claims.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {AccountsState, Leaf} from "../../src/steps/AccountsStepTypes.sol";
import {MarketBlockProver} from "../../src/steps/markets/MarketBlockProver.sol";
import {MarketLiquidationProver} from "../../src/steps/markets/MarketLiquidationProver.sol";
import {MarketBulkProver} from "../../src/steps/markets/MarketBulkProver.sol";
import {MarketBulkPlaceProver} from "../../src/steps/markets/MarketBulkPlaceProver.sol";
import {MarketMessageProver} from "../../src/steps/markets/MarketMessageProver.sol";
import {MarketOrderProver} from "../../src/steps/markets/MarketOrderProver.sol";
import {MarketStepErrors} from "../../src/steps/markets/MarketStepErrors.sol";
import {MarketStepVerifier} from "../../src/steps/markets/MarketStepVerifier.sol";
import {MarketBytes, MarketPhase, MarketState, MarketWitness, OrderedLeaf} from "../../src/steps/markets/MarketStepTypes.sol";
import {AccountsOutboxClaim} from "../../src/disputes/OutboxClaims.sol";
import {AccountsOneStepProver} from "../../src/disputes/AccountsOneStepProver.sol";
import {MarketOneStepProver} from "../../src/disputes/MarketOneStepProver.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../src/disputes/DisputeGame.sol";
import {FixedProver} from "./lib/MockProvers.sol";

/// The market prover over the deployed MarketStepVerifier: a market's BlockStart in StepFixture's world, whose
/// routed message (MARKET, BLOCK, 0) is read from the outbox root of the accounts claim's end state, proven against
/// a claims root built here by Smt (the accounts claim and two market claims); alone against a batch record, and as
/// the end of a game over a real settlement contract (ProverFixture).
contract MarketOneStepProverTest is ProverFixture {
    using StepTrees for StepTrees.Tree;

    uint64 internal constant ACCOUNTS_STEPS = 40;
    uint32 internal constant F = 4;
    uint32 internal constant C = 8;

    MarketStepVerifier internal marketVerifier;
    MarketOneStepProver internal prover;
    FixedProver internal accountsJudge;
    DisputeGame internal judgedGame;

    function setUp() public override {
        super.setUp();
        marketVerifier = new MarketStepVerifier(
            address(new MarketBlockProver()),
            address(new MarketMessageProver()),
            address(new MarketOrderProver()),
            address(new MarketLiquidationProver()),
            address(new MarketBulkProver()),
            address(new MarketBulkPlaceProver())
        );
        prover = new MarketOneStepProver(settlement, marketVerifier, F, C);
    }

    // ---- helpers ----

    /// A market not created yet at the end of block BLOCK - 1: the start of a batch whose first block is BLOCK.
    function _before(uint32 market) internal pure returns (MarketState memory s) {
        s.market = market;
        s.block = BLOCK - 1;
    }

    function _hash(MarketState memory s) internal pure returns (bytes32) {
        return keccak256(abi.encode(s));
    }

    function _hash(AccountsState memory s) internal pure returns (bytes32) {
        return keccak256(abi.encode(s));
    }

    /// The batch's claims: the accounts domain ending in the world's state, and markets MARKET and OTHER_MARKET.
    function _claims(World memory w) internal pure returns (IRollupSettlement.DomainClaim[] memory c) {
        c = new IRollupSettlement.DomainClaim[](3);
        c[0] = IRollupSettlement.DomainClaim(0, 0, keccak256("accounts start"), _hash(state(w)), ACCOUNTS_STEPS);
        c[1] = IRollupSettlement.DomainClaim(1, MARKET, _hash(_before(MARKET)), keccak256("market end"), 12);
        c[2] = IRollupSettlement.DomainClaim(1, OTHER_MARKET, _hash(_before(OTHER_MARKET)), keccak256("other end"), 3);
    }

    /// Commits a batch of the world's roots and `claims` to the settlement: the prover reads the accounts claim there.
    function _batch(World memory w, IRollupSettlement.DomainClaim[] memory claims) internal returns (uint64 index) {
        index = _commit(w, claims);
    }

    function _accountsClaim(World memory w, IRollupSettlement.DomainClaim[] memory claims) internal pure returns (AccountsOutboxClaim memory) {
        return AccountsOutboxClaim(claims[0].start, state(w), ACCOUNTS_STEPS, Claims.proof(claims, 0, 0));
    }

    /// The BlockStart's witness: the block's header, then message (market, BLOCK, 0) of the accounts outbox.
    function _blockStartWitness(World memory w, uint32 market) internal pure returns (MarketWitness memory) {
        return MarketWitness(leaves(w.blocks.leaf(kU64(BLOCK)), w.outbox.leaf(kOutbox(market, BLOCK, 0))), new OrderedLeaf[](0));
    }

    function _proof(MarketState memory pre, AccountsOutboxClaim memory accounts, MarketWitness memory witness)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encode(pre, MarketBytes("", ""), accounts, witness);
    }

    function _prove(uint64 index, uint32 market, bytes memory proof) internal view returns (bytes32 pre, bytes32 post) {
        return prover.prove(index, settlement.batch(index), market, proof);
    }

    /// Reads the batch record first: the next call after an expectRevert must be the prover's.
    function _expectRefusal(uint64 index, uint32 market, bytes memory proof, bytes memory refusal) internal {
        IRollupSettlement.Batch memory b = settlement.batch(index);
        svm.expectRevert(refusal);
        prover.prove(index, b, market, proof);
    }

    // ---- accepted ----

    function test_aBlockStartWithARoutedMessageOpensTheInbox() public {
        World memory w = world();
        IRollupSettlement.DomainClaim[] memory claims = _claims(w);
        bytes memory proof = _proof(_before(MARKET), _accountsClaim(w, claims), _blockStartWitness(w, MARKET));
        (bytes32 pre, bytes32 post) = _prove(_batch(w, claims), MARKET, proof);
        MarketState memory expected = _before(MARKET);
        (expected.block, expected.timestamp, expected.phase) = (BLOCK, 1_700_000_000, MarketPhase.INBOX);
        assertEq(pre, _hash(_before(MARKET)), "pre: keccak256 of the twenty words");
        assertEq(post, _hash(expected), "post: block 7 from its header, the inbox open for its message");
        // proofOf, the encoding clients follow, is the proof prove decodes.
        assertEq(keccak256(prover.proofOf(_before(MARKET), MarketBytes("", ""), _accountsClaim(w, claims), _blockStartWitness(w, MARKET))), keccak256(proof), "proofOf");
    }

    function test_aBlockStartWithoutAMessageStaysInBlockStart() public {
        World memory w = world();
        IRollupSettlement.DomainClaim[] memory claims = _claims(w);
        bytes memory proof = _proof(_before(OTHER_MARKET), _accountsClaim(w, claims), _blockStartWitness(w, OTHER_MARKET));
        (, bytes32 post) = _prove(_batch(w, claims), OTHER_MARKET, proof);
        MarketState memory expected = _before(OTHER_MARKET);
        (expected.block, expected.timestamp) = (BLOCK, 1_700_000_000);
        assertEq(post, _hash(expected), "nothing routed to it in block 7: not run");
    }

    function test_theBoundsAreTheConstructors() public view {
        assertEq(prover.bookOpsPerStep(), F, "F");
        assertEq(prover.cancelsPerStep(), C, "C");
        assertEq(address(prover.verifier()), address(marketVerifier), "verifier");
    }

    // ---- refused ----

    function test_anOutboxRootOtherThanTheAccountsClaimsIsRefused() public {
        World memory w = world();
        IRollupSettlement.DomainClaim[] memory claims = _claims(w);
        // The same step against an accounts end whose outbox lacks the message: not the claimed end.
        World memory other = clone(w);
        other.outbox = StepTrees.empty();
        AccountsOutboxClaim memory lie = _accountsClaim(w, claims);
        lie.end = state(other);
        MarketWitness memory witness = MarketWitness(leaves(w.blocks.leaf(kU64(BLOCK)), other.outbox.leaf(kOutbox(MARKET, BLOCK, 0))), new OrderedLeaf[](0));
        _expectRefusal(_batch(w, claims), MARKET, _proof(_before(MARKET), lie, witness), abi.encodeWithSelector(MarketOneStepProver.AccountsClaimNotInBatch.selector));
    }

    function test_anAccountsClaimWithWrongSiblingsStartOrStepsIsRefused() public {
        World memory w = world();
        IRollupSettlement.DomainClaim[] memory claims = _claims(w);
        uint64 b = _batch(w, claims);
        bytes memory refusal = abi.encodeWithSelector(MarketOneStepProver.AccountsClaimNotInBatch.selector);
        MarketWitness memory witness = _blockStartWitness(w, MARKET);

        AccountsOutboxClaim memory a = _accountsClaim(w, claims);
        a.siblings[0] = keccak256(abi.encode(a.siblings[0]));
        _expectRefusal(b, MARKET, _proof(_before(MARKET), a, witness), refusal);
        a = _accountsClaim(w, claims);
        a.siblings = Claims.proof(claims, 1, MARKET); // a market's siblings
        _expectRefusal(b, MARKET, _proof(_before(MARKET), a, witness), refusal);
        a = _accountsClaim(w, claims);
        a.start = keccak256("another start");
        _expectRefusal(b, MARKET, _proof(_before(MARKET), a, witness), refusal);
        a = _accountsClaim(w, claims);
        a.steps = ACCOUNTS_STEPS + 1;
        _expectRefusal(b, MARKET, _proof(_before(MARKET), a, witness), refusal);
        // No siblings: only a re-posted claim is taken without them, and the accounts domain has none.
        a = _accountsClaim(w, claims);
        a.siblings = new bytes32[](0);
        _expectRefusal(b, MARKET, _proof(_before(MARKET), a, witness), refusal);
    }

    function test_anotherMarketsStateIsRefused() public {
        World memory w = world();
        IRollupSettlement.DomainClaim[] memory claims = _claims(w);
        bytes memory proof = _proof(_before(MARKET), _accountsClaim(w, claims), _blockStartWitness(w, MARKET));
        _expectRefusal(_batch(w, claims), OTHER_MARKET, proof, abi.encodeWithSelector(MarketOneStepProver.WrongMarket.selector, OTHER_MARKET, MARKET));
    }

    function test_theVerifiersRefusalComesThrough() public {
        World memory w = world();
        IRollupSettlement.DomainClaim[] memory claims = _claims(w);
        // The message leaf of another key: the outbox read at (MARKET, BLOCK, 0) fails its proof.
        MarketWitness memory witness = MarketWitness(leaves(w.blocks.leaf(kU64(BLOCK)), w.outbox.leaf(kOutbox(MARKET, BLOCK, 1))), new OrderedLeaf[](0));
        bytes memory proof = _proof(_before(MARKET), _accountsClaim(w, claims), witness);
        _expectRefusal(_batch(w, claims), MARKET, proof, abi.encodeWithSelector(MarketStepErrors.BadInputProof.selector, 1));
    }

    function test_zeroBoundsOrNoVerifierAreRefused() public {
        svm.expectRevert(abi.encodeWithSelector(MarketOneStepProver.ZeroStepBound.selector, 0, C));
        new MarketOneStepProver(settlement, marketVerifier, 0, C);
        svm.expectRevert(abi.encodeWithSelector(MarketOneStepProver.ZeroStepBound.selector, F, 0));
        new MarketOneStepProver(settlement, marketVerifier, F, 0);
        svm.expectRevert(abi.encodeWithSelector(MarketOneStepProver.NoVerifier.selector));
        new MarketOneStepProver(settlement, MarketStepVerifier(address(0)), F, C);
    }

    // ---- a game ended by the real prover ----

    /// Batch 0 claims market 2's one step (its BlockStart) truly, batch 1 falsely; the other claims are the same in
    /// both. A game over them with the real provers.
    function _twoBatches(World memory w)
        internal
        returns (DisputeGame game, IRollupSettlement.DomainClaim[] memory truthful, IRollupSettlement.DomainClaim[] memory lying)
    {
        MarketState memory afterStep = _before(MARKET);
        (afterStep.block, afterStep.timestamp, afterStep.phase) = (BLOCK, 1_700_000_000, MarketPhase.INBOX);
        truthful = _claims(w);
        truthful[1] = IRollupSettlement.DomainClaim(1, MARKET, _hash(_before(MARKET)), _hash(afterStep), 1);
        lying = _claims(w);
        lying[1] = IRollupSettlement.DomainClaim(1, MARKET, _hash(_before(MARKET)), keccak256("a wrong end"), 1);
        _commit(w, truthful);
        _commit(w, lying);
        AccountsOneStepProver accountsProver = new AccountsOneStepProver(settlement, verifier);
        game = new DisputeGame(address(settlement), address(accountsProver), address(prover), 1 ether, 2 ether, 100, 100_000);
        pvm.deal(alice, 10 ether);
    }

    function _challenge(DisputeGame game, uint64 batchIndex, IRollupSettlement.DomainClaim[] memory claims, bytes32 challengerEnd)
        internal
        returns (bytes32)
    {
        IRollupSettlement.DomainClaim memory c = claims[1];
        vm.prank(alice);
        return game.challenge{value: 1 ether}(batchIndex, 1, MARKET, c.start, c.end, 1, Claims.proof(claims, 1, MARKET), challengerEnd);
    }

    function test_aMarketGameOverABlockStartEndsByTheProver() public {
        World memory w = world();
        (DisputeGame game, IRollupSettlement.DomainClaim[] memory truthful, IRollupSettlement.DomainClaim[] memory lying) = _twoBatches(w);
        assertEq(address(game.proverOf(1)), address(prover), "the market prover");
        MarketWitness memory witness = _blockStartWitness(w, MARKET);

        bytes32 lost = _challenge(game, 0, truthful, lying[1].end);
        bytes32 won = _challenge(game, 1, lying, truthful[1].end);
        // A market step reads the accounts claim as it stands, Pending or not: it waits for nothing.
        bytes memory proof = _proof(_before(MARKET), _accountsClaim(w, truthful), witness);
        _checkReadsNoClaimToWaitFor(game, lost, proof);
        game.prove(lost, proof);
        assertEq(uint256(game.game(lost).status), uint256(IDisputeGame.Status.DefenderWon), "the true claim stands");

        // Batch 0's accounts claim proof does not open batch 1's claims root.
        bytes memory otherBatch = _proof(_before(MARKET), _accountsClaim(w, truthful), witness);
        svm.expectRevert(abi.encodeWithSelector(MarketOneStepProver.AccountsClaimNotInBatch.selector));
        game.prove(won, otherBatch);
        game.prove(won, _proof(_before(MARKET), _accountsClaim(w, lying), witness));
        assertEq(uint256(game.game(won).status), uint256(IDisputeGame.Status.ChallengerWon), "the false claim falls");
        assertTrue(game.claimFallen(1, 1, MARKET), "market 2 of batch 1 fallen");
        assertFalse(game.claimFallen(1, 1, OTHER_MARKET), "market 1 stands");
        assertFalse(game.claimFallen(1, 0, 0), "the accounts claim stands");
        assertFalse(game.claimFallen(0, 1, MARKET), "batch 0's claim stands");
    }

    function _checkReadsNoClaimToWaitFor(DisputeGame game, bytes32 id, bytes memory proof) internal view {
        (bool reads,,,) = game.stepInput(id, proof);
        assertFalse(reads, "no claim to wait for");
        (bytes32 pre,,,) = prover.inputOf(MARKET, proof);
        assertEq(pre, _hash(_before(MARKET)), "the pre-state's hash");
        assertEq(uint256(settlement.claimStatus(0, 0, 0)), uint256(IRollupSettlement.ClaimStatus.Pending), "the accounts claim it reads is Pending");
    }

    // ---- the accounts claim as it stands ----

    /// Batch 0's accounts claim lies about its outbox (its end lacks the message routed to MARKET): a game set on the
    /// settlement (accounts steps judged by a fixed mock) fells it and the sequencer re-posts the true end. From then
    /// on the market prover reads the message from the re-posted claim, taken with no siblings, and refuses the
    /// voided original, which it took before.
    function test_aRepostedAccountsClaimIsTheOneTheProverReads() public {
        World memory w = world();
        _wireAccountsJudge();
        (uint64 index, IRollupSettlement.DomainClaim memory lying, bytes32[] memory siblings, bytes memory originalProof) =
            _batchWithALyingOutbox(w);

        _fellAndRepost(index, lying, siblings, _hash(state(w)));

        _expectRefusal(index, MARKET, originalProof, abi.encodeWithSelector(MarketOneStepProver.AccountsClaimNotInBatch.selector));
        AccountsOutboxClaim memory standing = AccountsOutboxClaim(lying.start, state(w), 1, new bytes32[](0));
        (, bytes32 post) = _prove(index, MARKET, _proof(_before(MARKET), standing, _blockStartWitness(w, MARKET)));
        MarketState memory expected = _before(MARKET);
        (expected.block, expected.timestamp, expected.phase) = (BLOCK, 1_700_000_000, MarketPhase.INBOX);
        assertEq(post, _hash(expected), "after it: the re-posted outbox, the message routed");
        standing.siblings = siblings;
        _expectRefusal(
            index,
            MARKET,
            _proof(_before(MARKET), standing, _blockStartWitness(w, MARKET)),
            abi.encodeWithSelector(MarketOneStepProver.AccountsClaimNotInBatch.selector)
        );
    }

    /// A batch whose one-step accounts claim ends in the world less its outbox; the prover takes it as it stands:
    /// the BlockStart reads no message for MARKET.
    function _batchWithALyingOutbox(World memory w)
        internal
        returns (uint64 index, IRollupSettlement.DomainClaim memory lying, bytes32[] memory siblings, bytes memory proof)
    {
        World memory lacking = clone(w);
        lacking.outbox = StepTrees.empty();
        IRollupSettlement.DomainClaim[] memory claims = _claims(w);
        claims[0] = IRollupSettlement.DomainClaim(0, 0, keccak256("accounts start"), _hash(state(lacking)), 1);
        index = _batch(w, claims);
        lying = claims[0];
        siblings = Claims.proof(claims, 0, 0);
        proof = _proof(
            _before(MARKET),
            AccountsOutboxClaim(lying.start, state(lacking), 1, siblings),
            MarketWitness(leaves(w.blocks.leaf(kU64(BLOCK)), lacking.outbox.leaf(kOutbox(MARKET, BLOCK, 0))), new OrderedLeaf[](0))
        );
        (, bytes32 post) = _prove(index, MARKET, proof);
        MarketState memory expected = _before(MARKET);
        (expected.block, expected.timestamp) = (BLOCK, 1_700_000_000);
        assertEq(post, _hash(expected), "before the re-post: the original's outbox, nothing routed");
    }

    /// A game set on the settlement through its time lock (delay 0), the accounts steps judged by a fixed mock.
    function _wireAccountsJudge() internal {
        accountsJudge = new FixedProver();
        judgedGame = new DisputeGame(address(settlement), address(accountsJudge), address(prover), 1 ether, 2 ether, 100, 100_000);
        vm.prank(address(0x0BE));
        settlement.proposeDisputeGame(address(judgedGame));
        settlement.executeDisputeGame();
    }

    /// A challenger fells `claim` (the judge rules the step reaches `trueEnd`) and the sequencer re-posts it ending there.
    function _fellAndRepost(
        uint64 index,
        IRollupSettlement.DomainClaim memory claim,
        bytes32[] memory siblings,
        bytes32 trueEnd
    ) internal {
        pvm.deal(alice, 10 ether);
        vm.prank(alice);
        bytes32 id = judgedGame.challenge{value: 1 ether}(index, 0, 0, claim.start, claim.end, 1, siblings, trueEnd);
        accountsJudge.set(claim.start, trueEnd);
        judgedGame.prove(id, "");
        assertTrue(judgedGame.claimFallen(index, 0, 0), "the accounts claim fell");
        IRollupSettlement.RepostedClaim[] memory reposted = new IRollupSettlement.RepostedClaim[](1);
        reposted[0] = IRollupSettlement.RepostedClaim(claim.start, trueEnd, 1);
        vm.prank(SEQUENCER);
        settlement.repostClaims(0, 0, index, IRollupSettlement.ReplacedClaim(claim.end, 1, siblings), reposted);
    }
}
