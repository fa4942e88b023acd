// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IBondLedger} from "../../src/IBondLedger.sol";
import {DisputeFixture} from "./lib/DisputeFixture.sol";
import {FixedProver} from "./lib/MockProvers.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../src/disputes/DisputeGame.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";

/// The game of docs/disputes.md on a prover whose answer each test sets, against claims committed to the real
/// settlement contract. The running example is a 4-step claim S -> E: the defender bisects at 2 (H2), the
/// challenger disagrees (C2), the defender bisects at 1 (H1), the challenger agrees, and step 1 is proven.
/// Bonds: challenger 1 ether, defender 2 ether, 10 % of the loser's burnt.
contract DisputeGameTest is DisputeFixture {
    bytes32 internal constant S = keccak256("start");
    bytes32 internal constant E = keccak256("end");
    bytes32 internal constant X = keccak256("the challenger's end");
    bytes32 internal constant H1 = keccak256("defender at 1");
    bytes32 internal constant H2 = keccak256("defender at 2");
    bytes32 internal constant C2 = keccak256("challenger at 2");

    uint256 internal constant STATUS_OPEN = 1;
    uint256 internal constant STATUS_DEFENDER_WON = 2;
    uint256 internal constant STATUS_CHALLENGER_WON = 3;
    uint256 internal constant STATUS_ABANDONED = 4;

    Claim internal claim;

    function setUp() public override {
        super.setUp();
        claim = _commitClaim(S, E, 4);
    }

    /// The running example up to one step left: [1, 2], agreed H1, the defender at H2, the challenger at C2.
    function _toOneStep(address challenger) internal returns (bytes32 id) {
        id = _challenge(challenger, claim, X);
        _bisect(id, H2);
        _answer(id, false, C2);
        _bisect(id, H1);
        _answer(id, true, bytes32(0));
    }

    function _prove(bytes32 id) internal {
        game.prove(id, "");
    }

    // ---- a game ----

    function test_aChallengeOpensAGameAtTheWholeClaim() public {
        bytes32 id = game.gameIdOf(0, ACCOUNTS, 0, ALICE);
        assertEq(id, keccak256(abi.encode(uint64(0), uint8(0), uint32(0), ALICE)), "the game id");
        vm.expectEmit(address(game));
        emit IDisputeGame.GameStarted(id, 0, ACCOUNTS, 0, ALICE, E, X);
        assertEq(_challenge(ALICE, claim, X), id, "returned id");

        IDisputeGame.Game memory g = game.game(id);
        assertEq(g.challenger, ALICE, "challenger");
        assertEq(g.defender, SEQUENCER, "the sequencer defends");
        assertEq(g.batchIndex, 0, "batch");
        assertEq(_status(id), STATUS_OPEN, "open");
        assertEq(uint256(g.toMove), uint256(IDisputeGame.Side.Defender), "the defender moves first");
        assertFalse(g.defenderBonded, "no defender bond yet");
        assertEq(g.lo, 0, "lo");
        assertEq(g.hi, 4, "hi");
        assertEq(g.agreed, S, "agreed at 0: the claim's start");
        assertEq(g.defenderHash, E, "the defender at 4: the claim's end");
        assertEq(g.challengerHash, X, "the challenger at 4");
        assertEq(address(game).balance, 1 ether, "the challenger's bond is held");
        (uint64 d, uint64 c) = game.clocks(id);
        assertEq(d, 100, "defender's clock");
        assertEq(c, 100, "challenger's clock");
    }

    function test_eachMoveHalvesTheRange() public {
        bytes32 id = _challenge(ALICE, claim, X);
        vm.expectEmit(address(game));
        emit IDisputeGame.Moved(id, 0, 4);
        _bisect(id, H2);
        assertEq(game.game(id).mid, H2, "the defender's midpoint");
        assertEq(uint256(game.game(id).toMove), uint256(IDisputeGame.Side.Challenger), "the challenger answers");
        assertTrue(game.game(id).defenderBonded, "bonded by the first bisection");
        assertEq(address(game).balance, 3 ether, "both bonds held");

        vm.expectEmit(address(game));
        emit IDisputeGame.Moved(id, 0, 2);
        _answer(id, false, C2);
        IDisputeGame.Game memory g = game.game(id);
        (uint256 lo, uint256 hi) = (g.lo, g.hi);
        assertEq(lo, 0, "disagreeing keeps lo");
        assertEq(hi, 2, "and moves hi to the midpoint");
        assertEq(g.defenderHash, H2, "the defender at 2");
        assertEq(g.challengerHash, C2, "the challenger at 2");
        assertEq(g.mid, bytes32(0), "midpoint cleared");

        _bisect(id, H1);
        vm.expectEmit(address(game));
        emit IDisputeGame.Moved(id, 1, 2);
        _answer(id, true, keccak256("ignored"));
        g = game.game(id);
        assertEq(g.lo, 1, "agreeing moves lo to the midpoint");
        assertEq(g.hi, 2, "and keeps hi");
        assertEq(g.agreed, H1, "agreed at 1: the defender's midpoint");
        assertEq(g.defenderHash, H2, "defender still at 2");
        assertEq(uint256(g.toMove), uint256(IDisputeGame.Side.Defender), "one step left: the defender's clock");
    }

    function test_theDefenderRightWinsAndIsPaidBothBondsLessTheBurn() public {
        bytes32 id = _toOneStep(ALICE);
        fixedProver.set(H1, H2);
        vm.expectEmit(address(game));
        emit IDisputeGame.Resolved(id, false);
        vm.prank(BOB); // anyone may prove
        game.prove(id, "");
        assertEq(_status(id), STATUS_DEFENDER_WON, "defender won");
        assertFalse(game.claimFallen(0, ACCOUNTS, 0), "the claim stands");
        assertEq(BURN.balance, 0.1 ether, "10 % of the challenger's 1 ether burnt");
        assertEq(game.credit(DEFENDER), 2.9 ether, "2 own + 1 - 0.1");
        assertEq(game.credit(ALICE), 0, "the loser is owed nothing");
        assertEq(_withdraw(DEFENDER), 2.9 ether, "paid on withdraw");
        assertEq(game.credit(DEFENDER), 0, "credit spent");
        assertEq(address(game).balance, 0, "nothing left behind");
    }

    function test_theChallengerRightWinsAndTheClaimFalls() public {
        bytes32 id = _toOneStep(ALICE);
        fixedProver.set(H1, C2);
        vm.expectEmit(address(game));
        emit IDisputeGame.ClaimFell(0, ACCOUNTS, 0, id);
        vm.expectEmit(address(game));
        emit IDisputeGame.Resolved(id, true);
        _prove(id);
        assertEq(_status(id), STATUS_CHALLENGER_WON, "challenger won");
        assertTrue(game.claimFallen(0, ACCOUNTS, 0), "the claim fell");
        assertFalse(game.claimFallen(0, MARKET, 0), "only its own domain");
        assertFalse(game.claimFallen(1, ACCOUNTS, 0), "only its own batch");
        assertEq(BURN.balance, 0.2 ether, "10 % of the defender's 2 ether burnt");
        assertEq(game.credit(ALICE), 2.8 ether, "1 own + 2 - 0.2");
        assertEq(game.credit(DEFENDER), 0, "the loser is owed nothing");
        assertEq(_withdraw(ALICE), 2.8 ether, "paid on withdraw");
    }

    function test_aStateAfterNeitherSideNamedIsTheChallengersWin() public {
        bytes32 id = _toOneStep(ALICE);
        fixedProver.set(H1, keccak256("what the step really gives"));
        _prove(id);
        assertEq(_status(id), STATUS_CHALLENGER_WON, "the defender's hash is not the step's");
    }

    function test_aProofFromAnotherStateIsRefused() public {
        bytes32 id = _toOneStep(ALICE);
        fixedProver.set(S, H2);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.WrongPreState.selector, H1, S));
        _prove(id);
        assertEq(_status(id), STATUS_OPEN, "nothing decided");
    }

    function test_aProofTheProverRefusesDecidesNothing() public {
        bytes32 id = _toOneStep(ALICE);
        fixedProver.refuse(7);
        vm.expectRevert(abi.encodeWithSelector(FixedProver.ProofRefused.selector, 7));
        _prove(id);
        assertEq(_status(id), STATUS_OPEN, "still open");
        fixedProver.set(H1, H2);
        _prove(id);
        assertEq(_status(id), STATUS_DEFENDER_WON, "a good proof then decides");
    }

    function test_aOneStepClaimIsProvenAtOnce() public {
        Claim memory one = _commitClaim(E, keccak256("one step on"), 1);
        bytes32 id = _challenge(ALICE, one, X);
        assertEq(game.game(id).hi, 1, "one step");
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.OneStepLeft.selector, 0));
        game.bisect{value: DEFENDER_BOND}(id, H1);
        fixedProver.set(E, keccak256("one step on"));
        _prove(id);
        assertEq(_status(id), STATUS_DEFENDER_WON, "defender won");
        // The defender never moved, so it posted no bond: it is paid the challenger's less the burn.
        assertEq(game.credit(DEFENDER), 0.9 ether, "1 - 0.1");
        assertEq(BURN.balance, 0.1 ether, "burnt");
    }

    function test_aOneStepClaimTheChallengerWins() public {
        Claim memory one = _commitClaim(E, keccak256("one step on"), 1);
        bytes32 id = _challenge(ALICE, one, X);
        fixedProver.set(E, X);
        _prove(id);
        assertEq(_status(id), STATUS_CHALLENGER_WON, "challenger won");
        assertEq(game.credit(ALICE), 1 ether, "its own bond back: the defender posted none");
        assertEq(BURN.balance, 0, "nothing to burn");
    }

    // ---- a step that reads another claim (docs/disputes.md, "One-step provers") ----

    uint32 internal constant INPUT_MARKET = 3;

    /// One step left [1, 2], the step (H1 -> H2, the defender's) reading market 3's claim of batch 0, Pending.
    function _toOneStepReadingAnInput() internal returns (bytes32 id) {
        id = _toOneStep(ALICE);
        fixedProver.set(H1, H2);
        fixedProver.readInput(MARKET, INPUT_MARKET);
    }

    function _inputFinalAt() internal view returns (uint64 finalAt) {
        (,,, finalAt) = settlement.claimState(0, MARKET, INPUT_MARKET);
    }

    function _notFinal(IRollupSettlement.ClaimStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IDisputeGame.InputNotFinal.selector, MARKET, INPUT_MARKET, status);
    }

    function test_aStepReadingAClaimNotFinalIsProvenOnlyOnceItIs() public {
        bytes32 id = _toOneStepReadingAnInput();
        (bool reads, uint8 kind, uint32 market, IRollupSettlement.ClaimStatus status) = game.stepInput(id, "");
        assertTrue(reads && kind == MARKET && market == INPUT_MARKET, "the step's input");
        assertEq(uint256(status), uint256(IRollupSettlement.ClaimStatus.Pending), "pending");
        vm.expectRevert(_notFinal(IRollupSettlement.ClaimStatus.Pending));
        _prove(id);
        vm.roll(_inputFinalAt());
        _prove(id);
        assertEq(_status(id), STATUS_DEFENDER_WON, "proven against the final claim");
    }

    function test_theDefendersClockStopsWhileItsInputIsNotFinal() public {
        bytes32 id = _toOneStepReadingAnInput();
        vm.roll(block.number + 5);
        (uint64 leftBefore,) = game.clocks(id);
        vm.expectEmit(address(game));
        emit IDisputeGame.GameAwaitingInput(id, MARKET, INPUT_MARKET);
        vm.prank(DEFENDER);
        game.awaitInput(id, "");
        vm.expectRevert(_notFinal(IRollupSettlement.ClaimStatus.Pending));
        game.resumeClock(id);

        vm.roll(_inputFinalAt() + 3 * CLOCK);
        (uint64 left,) = game.clocks(id);
        assertEq(left, leftBefore, "stopped: what it had when it stopped");
        (bool awaiting, uint8 kind, uint32 market) = game.awaitedInput(id);
        assertTrue(awaiting && kind == MARKET && market == INPUT_MARKET, "awaiting market 3");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.AwaitingInput.selector, MARKET, INPUT_MARKET));
        game.timeout(id);

        vm.expectEmit(address(game));
        emit IDisputeGame.GameClockResumed(id);
        vm.prank(BOB);
        game.resumeClock(id);
        (awaiting,,) = game.awaitedInput(id);
        assertFalse(awaiting, "running again");
        vm.roll(block.number + left - 1);
        _prove(id);
        assertEq(_status(id), STATUS_DEFENDER_WON, "proven within what its clock had left");
    }

    function test_aResumedClockThatRunsOutLosesTheGame() public {
        bytes32 id = _toOneStepReadingAnInput();
        vm.prank(DEFENDER);
        game.awaitInput(id, "");
        (uint64 left,) = game.clocks(id);
        vm.roll(_inputFinalAt());
        game.resumeClock(id);
        vm.roll(block.number + left);
        game.timeout(id);
        assertEq(_status(id), STATUS_CHALLENGER_WON, "the clock ran again, and out");
    }

    function test_onlyTheDefenderAwaitsAnInputThatIsNotFinalOnceFromTheAgreedState() public {
        bytes32 early = _challenge(BOB, claim, X);
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NotOneStep.selector, 0, 4));
        game.awaitInput(early, "");

        bytes32 id = _toOneStepReadingAnInput();
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NotYourTurn.selector, DEFENDER));
        game.awaitInput(id, "");

        fixedProver.set(S, H2);
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.WrongPreState.selector, H1, S));
        game.awaitInput(id, "");

        fixedProver.set(H1, H2);
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NotAwaiting.selector));
        game.resumeClock(id);
        vm.prank(DEFENDER);
        game.awaitInput(id, "");
        vm.roll(_inputFinalAt());
        game.resumeClock(id);
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.AlreadyAwaited.selector));
        game.awaitInput(id, "");
    }

    function test_aStepThatReadsNothingOrAFinalClaimHasNothingToAwait() public {
        bytes32 id = _toOneStep(ALICE);
        fixedProver.set(H1, H2);
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NothingToAwait.selector));
        game.awaitInput(id, "");
        fixedProver.readInput(MARKET, INPUT_MARKET);
        vm.roll(_inputFinalAt());
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NothingToAwait.selector));
        game.awaitInput(id, "");
    }

    // ---- clocks ----

    function test_eachMoveChargesTheMoversClock() public {
        uint256 t0 = block.number;
        bytes32 id = _challenge(ALICE, claim, X);
        vm.roll(t0 + 30);
        _bisect(id, H2);
        vm.roll(t0 + 50);
        (uint64 d, uint64 c) = game.clocks(id);
        assertEq(d, 70, "the defender used 30");
        assertEq(c, 80, "the challenger's runs: 20 so far");
        _answer(id, false, C2);
        vm.roll(t0 + 60);
        (d, c) = game.clocks(id);
        assertEq(d, 60, "the defender's runs again: 10 more");
        assertEq(c, 80, "the challenger's stopped at 80");
        IDisputeGame.Game memory g = game.game(id);
        assertEq(g.defenderClock, 70, "stored: charged at its last move");
        assertEq(g.challengerClock, 80, "stored");
        assertEq(g.turnSince, t0 + 50, "the defender's clock started at the answer");
        // It runs out 70 blocks after that answer.
        vm.roll(t0 + 119);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClockNotOut.selector, 1));
        game.timeout(id);
        vm.roll(t0 + 120);
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClockOut.selector, t0 + 120));
        game.bisect(id, H1);
        (d,) = game.clocks(id);
        assertEq(d, 0, "used up");
        game.timeout(id);
        assertEq(_status(id), STATUS_CHALLENGER_WON, "the defender lost on time");
    }

    function test_aMoveAtTheLastBlockOfTheClockCounts() public {
        uint256 t0 = block.number;
        bytes32 id = _challenge(ALICE, claim, X);
        vm.roll(t0 + 99);
        _bisect(id, H2);
        (uint64 d,) = game.clocks(id);
        assertEq(d, 1, "one block left");
    }

    function test_theDefenderTimesOutBeforeItsFirstMove() public {
        uint256 t0 = block.number;
        bytes32 id = _challenge(ALICE, claim, X);
        vm.roll(t0 + 99);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClockNotOut.selector, 1));
        game.timeout(id);
        vm.roll(t0 + 100);
        vm.expectEmit(address(game));
        emit IDisputeGame.Resolved(id, true);
        game.timeout(id);
        assertEq(_status(id), STATUS_CHALLENGER_WON, "challenger won");
        assertTrue(game.claimFallen(0, ACCOUNTS, 0), "the claim fell");
        assertEq(game.credit(ALICE), 1 ether, "its bond back; the defender never posted one");
        assertEq(BURN.balance, 0, "nothing burnt");
    }

    function test_theChallengerTimesOutOnItsFirstAnswer() public {
        bytes32 id = _challenge(ALICE, claim, X);
        uint256 t1 = block.number + 5;
        vm.roll(t1);
        _bisect(id, H2);
        vm.roll(t1 + 100);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClockOut.selector, t1 + 100));
        game.answer(id, true, bytes32(0));
        game.timeout(id);
        assertEq(_status(id), STATUS_DEFENDER_WON, "defender won");
        assertEq(game.credit(DEFENDER), 2.9 ether, "2 own + 1 - 0.1");
        assertEq(BURN.balance, 0.1 ether, "burnt");
    }

    function test_theDefenderTimesOutOnALaterBisection() public {
        bytes32 id = _challenge(ALICE, claim, X);
        _bisect(id, H2);
        _answer(id, false, C2);
        vm.roll(block.number + 100);
        game.timeout(id);
        assertEq(_status(id), STATUS_CHALLENGER_WON, "challenger won");
        assertEq(game.credit(ALICE), 2.8 ether, "1 own + 2 - 0.2");
        assertEq(BURN.balance, 0.2 ether, "burnt");
    }

    function test_theChallengerTimesOutOnALaterAnswer() public {
        bytes32 id = _challenge(ALICE, claim, X);
        _bisect(id, H2);
        _answer(id, false, C2);
        _bisect(id, H1);
        vm.roll(block.number + 100);
        game.timeout(id);
        assertEq(_status(id), STATUS_DEFENDER_WON, "defender won");
        assertEq(game.credit(DEFENDER), 2.9 ether, "2 own + 1 - 0.1");
    }

    function test_theDefenderTimesOutWithOneStepLeft() public {
        uint256 t0 = block.number;
        bytes32 id = _toOneStep(ALICE);
        vm.roll(t0 + 100);
        fixedProver.set(H1, H2);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClockOut.selector, t0 + 100));
        _prove(id); // too late, even for a proof that would have won
        game.timeout(id);
        assertEq(_status(id), STATUS_CHALLENGER_WON, "the claim was not proven in time");
        assertEq(game.credit(ALICE), 2.8 ether, "1 own + 2 - 0.2");
    }

    function test_theChallengerNeedNotWaitForTheDefendersProof() public {
        bytes32 id = _toOneStep(ALICE);
        fixedProver.set(H1, C2);
        vm.prank(ALICE);
        game.prove(id, "");
        assertEq(_status(id), STATUS_CHALLENGER_WON, "proven by the challenger on the defender's clock");
    }

    // ---- several challengers ----

    function test_severalChallengersAndTheClaimFallsForAll() public {
        bytes32 a = _challenge(ALICE, claim, X);
        bytes32 b = _challenge(BOB, claim, keccak256("bob's end"));
        bytes32 c = _challenge(CAROL, claim, X);
        assertEq(address(game).balance, 3 ether, "three challenger bonds");
        _bisect(a, H2);
        _bisect(b, H2);
        assertEq(address(game).balance, 7 ether, "and two defender bonds");
        _answer(a, false, C2);

        // Alice wins on the defender's clock; Bob's and Carol's games lose their object.
        vm.roll(block.number + 100);
        game.timeout(a);
        assertTrue(game.claimFallen(0, ACCOUNTS, 0), "fell");

        bytes memory fallen = abi.encodeWithSelector(IDisputeGame.ClaimFallen.selector, 0, ACCOUNTS, 0);
        vm.prank(BOB);
        vm.expectRevert(fallen);
        game.answer(b, true, bytes32(0));
        vm.expectRevert(fallen);
        game.timeout(b); // Bob's clock ran out too, but nothing is decided any more
        vm.expectRevert(fallen);
        game.timeout(c);
        vm.expectRevert(fallen);
        _prove(b);
        vm.prank(DEFENDER);
        vm.expectRevert(fallen);
        game.bisect{value: DEFENDER_BOND}(c, H2);
        _expectChallengeRevert(DAVE, claim, X, fallen);

        vm.expectEmit(address(game));
        emit IDisputeGame.Abandoned(b);
        vm.prank(DAVE); // anyone
        game.abandon(b);
        game.abandon(c);
        assertEq(_status(b), STATUS_ABANDONED, "b abandoned");
        assertEq(_status(c), STATUS_ABANDONED, "c abandoned");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.GameNotOpen.selector, b, IDisputeGame.Status.Abandoned));
        game.abandon(b);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.GameNotOpen.selector, a, IDisputeGame.Status.ChallengerWon));
        game.abandon(a);

        assertEq(game.credit(ALICE), 2.8 ether, "the winner");
        assertEq(game.credit(BOB), 1 ether, "Bob's bond back");
        assertEq(game.credit(CAROL), 1 ether, "Carol's bond back");
        assertEq(game.credit(DEFENDER), 2 ether, "the defender's bond in Bob's game back; none posted in Carol's");
        assertEq(BURN.balance, 0.2 ether, "burnt in Alice's game only");
        uint256 paid = _withdraw(ALICE) + _withdraw(BOB) + _withdraw(CAROL) + _withdraw(DEFENDER);
        assertEq(paid + BURN.balance, 7 ether, "every bond accounted for");
        assertEq(address(game).balance, 0, "nothing left");
    }

    function test_aDefendersWinLeavesTheOtherGamesOn() public {
        bytes32 a = _toOneStep(ALICE);
        bytes32 b = _challenge(BOB, claim, X);
        fixedProver.set(H1, H2);
        _prove(a);
        assertFalse(game.claimFallen(0, ACCOUNTS, 0), "stands");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClaimStands.selector, 0, ACCOUNTS, 0));
        game.abandon(b);
        // Bob plays on and proves the claim wrong elsewhere.
        _bisect(b, keccak256("another midpoint"));
        _answer(b, false, C2);
        _bisect(b, H1);
        _answer(b, true, bytes32(0));
        fixedProver.set(H1, C2);
        _prove(b);
        assertEq(_status(b), STATUS_CHALLENGER_WON, "Bob won");
        assertTrue(game.claimFallen(0, ACCOUNTS, 0), "fell");
        assertEq(_status(a), STATUS_DEFENDER_WON, "Alice's game stays decided");
    }

    // ---- refusals ----

    function test_eachMoveIsItsSidesOnly() public {
        bytes32 id = _challenge(ALICE, claim, X);
        bytes memory defendersTurn = abi.encodeWithSelector(IDisputeGame.NotYourTurn.selector, DEFENDER);
        bytes memory challengersTurn = abi.encodeWithSelector(IDisputeGame.NotYourTurn.selector, ALICE);
        vm.prank(ALICE);
        vm.expectRevert(defendersTurn);
        game.bisect{value: DEFENDER_BOND}(id, H2);
        vm.prank(BOB);
        vm.expectRevert(defendersTurn);
        game.bisect{value: DEFENDER_BOND}(id, H2);
        vm.prank(ALICE);
        vm.expectRevert(defendersTurn);
        game.answer(id, true, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NotOneStep.selector, 0, 4));
        _prove(id);

        _bisect(id, H2);
        vm.prank(DEFENDER);
        vm.expectRevert(challengersTurn);
        game.bisect(id, H1);
        vm.prank(DEFENDER);
        vm.expectRevert(challengersTurn);
        game.answer(id, true, bytes32(0));
        vm.prank(BOB);
        vm.expectRevert(challengersTurn);
        game.answer(id, true, bytes32(0));
        vm.prank(ALICE);
        vm.expectRevert(IDisputeGame.SameState.selector);
        game.answer(id, false, H2);

        _answer(id, false, C2);
        _bisect(id, H1);
        _answer(id, true, bytes32(0));
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.OneStepLeft.selector, 1));
        game.bisect(id, H1);
        vm.prank(ALICE);
        vm.expectRevert(defendersTurn);
        game.answer(id, true, bytes32(0));
    }

    function test_bondsMustBeExact() public {
        bytes memory short = abi.encodeWithSelector(IDisputeGame.WrongBond.selector, 1 ether, 0.5 ether);
        vm.expectRevert(short);
        _challengeWith(ALICE, claim, X, 0.5 ether);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.WrongBond.selector, 1 ether, 1 ether + 1));
        _challengeWith(ALICE, claim, X, 1 ether + 1);
        bytes32 id = _challenge(ALICE, claim, X);

        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.WrongBond.selector, 2 ether, 0));
        game.bisect(id, H2);
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.WrongBond.selector, 2 ether, 1 ether));
        game.bisect{value: 1 ether}(id, H2);
        _bisect(id, H2);
        _answer(id, false, C2);
        vm.prank(DEFENDER);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.WrongBond.selector, 0, 2 ether));
        game.bisect{value: 2 ether}(id, H1);
    }

    function test_anUnknownClaimIsRefused() public {
        bytes memory unknown = _e(IDisputeGame.UnknownClaim.selector);
        Claim memory c = claim;
        c.start = keccak256("another start");
        _expectChallengeRevert(ALICE, c, X, unknown);
        c = claim;
        c.end = keccak256("another end");
        _expectChallengeRevert(ALICE, c, X, unknown);
        c = claim;
        c.steps = 5;
        _expectChallengeRevert(ALICE, c, X, unknown);
        c = claim;
        c.batchIndex = 1; // not committed
        _expectChallengeRevert(ALICE, c, X, unknown);
        c = claim;
        c.market = 3; // the accounts domain is (0, 0)
        _expectChallengeRevert(ALICE, c, X, unknown);
        c = claim;
        c.siblings = new bytes32[](1);
        _expectChallengeRevert(ALICE, c, X, unknown);
        _challenge(ALICE, claim, X); // the claim itself is known
    }

    function test_aClaimIsProvenAmongOthers() public {
        FixedProver marketProver = new FixedProver();
        game = new DisputeGame(address(settlement), address(fixedProver), address(marketProver), 1 ether, 2 ether, CLOCK, BURN_PPM);
        Claim memory accountsClaim = Claim(0, ACCOUNTS, 0, E, keccak256("accounts end"), 10, new bytes32[](0));
        Claim memory marketClaim = Claim(0, MARKET, 7, keccak256("m start"), keccak256("m end"), 3, new bytes32[](0));
        (Claim memory a, Claim memory m) = _commitTwoClaims(accountsClaim, 7, marketClaim);
        assertEq(a.siblings.length, 1, "a tree of two");
        _challenge(ALICE, a, X);
        bytes32 id = _challenge(ALICE, m, X);
        assertEq(game.game(id).kind, MARKET, "a market game");
        assertEq(game.game(id).market, 7, "market 7");
        Claim memory swapped = m;
        swapped.siblings = a.siblings;
        _expectChallengeRevert(BOB, swapped, X, _e(IDisputeGame.UnknownClaim.selector));
    }

    function test_aKindWithoutAProverCannotBeDisputed() public {
        Claim memory c = claim;
        c.kind = MARKET;
        _expectChallengeRevert(ALICE, c, X, abi.encodeWithSelector(IDisputeGame.NoProver.selector, 1));
        c.kind = 2;
        _expectChallengeRevert(ALICE, c, X, abi.encodeWithSelector(IDisputeGame.NoProver.selector, 2));
        assertEq(address(game.proverOf(ACCOUNTS)), address(fixedProver), "accounts prover");
        assertEq(address(game.proverOf(MARKET)), address(0), "no market prover yet");
    }

    function test_aFinalBatchCannotBeDisputed() public {
        vm.roll(block.number + CHALLENGE_WINDOW - 1);
        _challenge(BOB, claim, X);
        vm.roll(block.number + 1);
        assertTrue(settlement.isFinalized(0), "final");
        _expectChallengeRevert(ALICE, claim, X, abi.encodeWithSelector(IDisputeGame.BatchFinal.selector, 0));
    }

    function test_theSameEndOrNoStepsIsNothingToDispute() public {
        _expectChallengeRevert(ALICE, claim, E, _e(IDisputeGame.SameEnd.selector));
        Claim memory none = _commitClaim(E, E, 0);
        _expectChallengeRevert(ALICE, none, X, _e(IDisputeGame.NothingToDispute.selector));
    }

    function test_oneGamePerChallengerAndClaim() public {
        bytes32 id = _challenge(ALICE, claim, X);
        _expectChallengeRevert(ALICE, claim, keccak256("another end"), abi.encodeWithSelector(IDisputeGame.GameExists.selector, id));
        vm.roll(block.number + 100);
        game.timeout(id);
        _expectChallengeRevert(ALICE, claim, X, abi.encodeWithSelector(IDisputeGame.GameExists.selector, id));
        // The same challenger may dispute another batch's claim.
        Claim memory next = _commitClaim(E, keccak256("later end"), 2);
        _challenge(ALICE, next, X);
    }

    function test_unknownAndFinishedGames() public {
        bytes32 nope = keccak256("no game");
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.UnknownGame.selector, nope));
        game.timeout(nope);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.UnknownGame.selector, nope));
        game.abandon(nope);
        assertEq(_status(nope), 0, "status None");
        bytes32 id = _toOneStep(ALICE);
        fixedProver.set(H1, H2);
        _prove(id);
        bytes memory over = abi.encodeWithSelector(IDisputeGame.GameNotOpen.selector, id, IDisputeGame.Status.DefenderWon);
        vm.expectRevert(over);
        _prove(id);
        vm.expectRevert(over);
        game.timeout(id);
    }

    function test_theDefenderIsTheSequencerWhenTheGameStarts() public {
        bytes32 id = _challenge(ALICE, claim, X);
        vm.prank(OPERATOR);
        settlement.proposeSequencer(DAVE);
        vm.roll(block.number + TIMELOCK);
        settlement.executeSequencer();
        assertEq(game.game(id).defender, SEQUENCER, "the sequencer when the game started defends it");
        vm.prank(DAVE);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.NotYourTurn.selector, SEQUENCER));
        game.bisect{value: DEFENDER_BOND}(id, H2);
        _bisect(id, H2);
    }

    // ---- construction and payouts ----

    function test_theConstructorRefusesABadConfig() public {
        vm.expectRevert(IDisputeGame.ZeroAddress.selector);
        new DisputeGame(address(0), address(fixedProver), address(0), 1, 1, 1, 0);
        vm.expectRevert(IDisputeGame.ZeroAddress.selector);
        new DisputeGame(address(settlement), address(0), address(0), 1, 1, 1, 0);
        vm.expectRevert(IDisputeGame.InvalidConfig.selector);
        new DisputeGame(address(settlement), address(fixedProver), address(0), 1, 1, 0, 0);
        vm.expectRevert(IDisputeGame.InvalidConfig.selector);
        new DisputeGame(address(settlement), address(fixedProver), address(0), 1, 1, uint64(type(uint32).max) + 1, 0);
        vm.expectRevert(IDisputeGame.InvalidConfig.selector);
        new DisputeGame(address(settlement), address(fixedProver), address(0), 1, 1, 1, 1_000_001);
        DisputeGame g = new DisputeGame(address(settlement), address(fixedProver), address(0), 3, 4, type(uint32).max, 1_000_000);
        assertEq(address(g.settlement()), address(settlement), "settlement");
        assertEq(g.challengerBond(), 3, "challengerBond");
        assertEq(g.defenderBond(), 4, "defenderBond");
        assertEq(g.clockBlocks(), type(uint32).max, "clockBlocks");
        assertEq(g.burnPpm(), 1_000_000, "burnPpm");
    }

    function test_aWholeBurnLeavesTheWinnerItsOwnBond() public {
        game = new DisputeGame(address(settlement), address(fixedProver), address(0), 1 ether, 2 ether, CLOCK, 1_000_000);
        bytes32 id = _toOneStep(ALICE);
        fixedProver.set(H1, C2);
        _prove(id);
        assertEq(game.credit(ALICE), 1 ether, "its own bond");
        assertEq(BURN.balance, 2 ether, "all of the loser's");
    }

    function test_withdrawPaysOnceAndOnlyWhatIsOwed() public {
        vm.expectRevert(abi.encodeWithSelector(IBondLedger.NothingToWithdraw.selector, ALICE));
        vm.prank(ALICE);
        game.withdraw();
        bytes32 id = _challenge(ALICE, claim, X);
        vm.roll(block.number + 100);
        game.timeout(id);
        vm.expectEmit(address(game));
        emit IBondLedger.Withdrawn(ALICE, 1 ether);
        assertEq(_withdraw(ALICE), 1 ether, "paid");
        vm.expectRevert(abi.encodeWithSelector(IBondLedger.NothingToWithdraw.selector, ALICE));
        vm.prank(ALICE);
        game.withdraw();
    }

    function test_aReenteringWinnerIsPaidOnce() public {
        Reenterer r = new Reenterer(game);
        dvm.deal(address(r), 1 ether);
        bytes32 id = r.challenge(claim.batchIndex, claim.start, claim.end, claim.steps, X);
        _challenge(BOB, claim, X); // another bond in the contract to steal
        vm.roll(block.number + 100);
        game.timeout(id);
        r.withdraw();
        assertEq(address(r).balance, 1 ether, "paid once");
        assertEq(r.reentries(), 1, "it tried again from its receive");
        assertTrue(r.reentryFailed(), "and the second withdraw found nothing owed");
        assertEq(address(game).balance, 1 ether, "Bob's bond is still there");
    }

    function test_aWinnerThatCannotReceiveKeepsItsCredit() public {
        Reenterer r = new Reenterer(game);
        dvm.deal(address(r), 1 ether);
        bytes32 id = r.challenge(claim.batchIndex, claim.start, claim.end, claim.steps, X);
        vm.roll(block.number + 100);
        game.timeout(id); // resolution does not depend on the winner's receive
        r.refuseEther();
        vm.expectRevert(abi.encodeWithSelector(IBondLedger.TransferFailed.selector, address(r)));
        r.withdraw();
        assertEq(game.credit(address(r)), 1 ether, "still owed");
    }
}

/// A challenger contract that re-enters withdraw() from its receive, or refuses ether.
contract Reenterer {
    DisputeGame internal immutable game;
    uint256 public reentries;
    bool public reentryFailed;
    bool internal refusing;

    constructor(DisputeGame game_) {
        game = game_;
    }

    function challenge(uint64 batchIndex, bytes32 start, bytes32 end, uint64 steps, bytes32 challengerEnd)
        external
        returns (bytes32)
    {
        return game.challenge{value: 1 ether}(batchIndex, 0, 0, start, end, steps, new bytes32[](0), challengerEnd);
    }

    function withdraw() external {
        game.withdraw();
    }

    function refuseEther() external {
        refusing = true;
    }

    receive() external payable {
        if (refusing) revert("no ether");
        if (reentries == 0) {
            reentries++;
            try game.withdraw() {} catch {
                reentryFailed = true;
            }
        }
    }
}
