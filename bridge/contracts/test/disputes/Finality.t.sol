// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {FinalityFixture} from "./lib/FinalityFixture.sol";
import {Claims} from "../lib/Claims.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";
import {DisputeGame} from "../../src/disputes/DisputeGame.sol";

/// The finality tie-in of docs/disputes.md ("Finality"): claims final per domain once the settlement has its dispute
/// game, a fallen claim voiding its domain from its batch on until re-posted, withdrawals waiting for the accounts
/// claim. Window 10 blocks, clocks 100: a game outlasts its claim's window.
contract FinalityTest is FinalityFixture {
    uint256 internal constant NONE = 0;
    uint256 internal constant PENDING = 1;
    uint256 internal constant DISPUTED = 2;
    uint256 internal constant FINAL = 3;
    uint256 internal constant FALLEN = 4;
    uint256 internal constant VOID = 5;
    uint256 internal constant HELD = 6;

    function _pastWindow() internal {
        vm.roll(block.number + CHALLENGE_WINDOW);
    }

    // ---- setting the game ----

    function test_theGameIsSetThroughTheTimeLock() public {
        assertEq(settlement.disputeGame(), address(0), "none at the start");
        vm.expectRevert(_err(IRollupSettlement.NotOperator.selector, uint256(uint160(ALICE))));
        vm.prank(ALICE);
        settlement.proposeDisputeGame(address(game));
        vm.expectRevert(_e(IRollupSettlement.ZeroAddress.selector));
        vm.prank(OPERATOR);
        settlement.proposeDisputeGame(address(0));

        uint64 at = uint64(block.number) + TIMELOCK;
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DisputeGameChangeProposed(address(game), at);
        vm.prank(OPERATOR);
        settlement.proposeDisputeGame(address(game));
        (address next, uint64 executableAt) = settlement.pendingDisputeGame();
        assertEq(next, address(game), "pending");
        assertEq(executableAt, at, "executable at");
        vm.roll(at - 1);
        vm.expectRevert(_err(IRollupSettlement.TimelockNotElapsed.selector, at));
        settlement.executeDisputeGame();

        vm.expectRevert(_err(IRollupSettlement.NotOperator.selector, uint256(uint160(ALICE))));
        vm.prank(ALICE);
        settlement.cancelDisputeGame();
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DisputeGameChangeCancelled(address(game));
        vm.prank(OPERATOR);
        settlement.cancelDisputeGame();
        vm.expectRevert(_e(IRollupSettlement.NoPendingChange.selector));
        settlement.executeDisputeGame();

        vm.prank(OPERATOR);
        settlement.proposeDisputeGame(address(game));
        vm.roll(block.number + TIMELOCK);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DisputeGameChanged(address(0), address(game));
        settlement.executeDisputeGame(); // anyone
        assertEq(settlement.disputeGame(), address(game), "set");
        (next,) = settlement.pendingDisputeGame();
        assertEq(next, address(0), "consumed");
    }

    function test_theHooksAreTheGamesOnly() public {
        _commitBatch();
        vm.expectRevert(_err(IRollupSettlement.NotDisputeGame.selector, uint256(uint160(ALICE))));
        vm.prank(ALICE);
        settlement.gameOpened(0, ACCOUNTS, 0);
        vm.expectRevert(_err(IRollupSettlement.NotDisputeGame.selector, uint256(uint160(address(game)))));
        vm.prank(address(game)); // not set yet
        settlement.gameOpened(0, ACCOUNTS, 0);
        _wire(address(game));
        vm.expectRevert(_err(IRollupSettlement.NotDisputeGame.selector, uint256(uint160(ALICE))));
        vm.prank(ALICE);
        settlement.gameClosed(0, ACCOUNTS, 0, true);
        vm.expectRevert(_err(IRollupSettlement.NotDisputeGame.selector, uint256(uint160(SEQUENCER))));
        vm.prank(SEQUENCER);
        settlement.gameOpened(0, ACCOUNTS, 0);
    }

    // ---- no game set: as before ----

    function test_withNoGameSetBatchesAreFinalByTheirWindowAlone() public {
        _commitBatch();
        bytes32 id = _open(ALICE, 0, MARKET, M1);
        _end(id, true);
        bytes32 a = _open(BOB, 0, ACCOUNTS, 0);
        _end(a, true);
        assertTrue(game.claimFallen(0, ACCOUNTS, 0), "fallen in the game");
        assertEq(_status(0, ACCOUNTS, 0), PENDING, "the settlement was not told");
        assertFalse(settlement.isFinalized(0), "window");
        _pastWindow();
        assertTrue(settlement.isFinalized(0), "final by its window");
        assertEq(settlement.finalBatchCount(), 1, "count");
        assertEq(_status(0, MARKET, M1), FINAL, "claims too");
        _withdrawBatch(0);
        assertEq(usdc.balanceOf(ALICE), PAID, "paid");
        assertEq(_status(1, ACCOUNTS, 0), NONE, "no such batch");
    }

    // ---- a game holds its claim ----

    function test_anOpenGameHoldsItsClaimPastTheWindowUntilTheDefenderWins() public {
        _wire(address(game));
        _commitBatch();
        assertEq(_status(0, ACCOUNTS, 0), PENDING, "window");
        bytes32 id = _open(ALICE, 0, ACCOUNTS, 0);
        (IRollupSettlement.ClaimStatus s, uint32 version, uint32 open, uint64 finalAt) = settlement.claimState(0, ACCOUNTS, 0);
        assertEq(uint256(s), DISPUTED, "disputed");
        assertEq(version, 0, "as committed");
        assertEq(open, 1, "one game");
        assertEq(finalAt, settlement.batch(0).finalAt, "the batch's window");
        (uint32 gv, bool hooked) = game.gameVersion(id);
        assertEq(gv, 0, "game's version");
        assertTrue(hooked, "the settlement was told");

        _pastWindow();
        assertEq(_status(0, ACCOUNTS, 0), DISPUTED, "still disputed");
        assertEq(_status(0, MARKET, M1), FINAL, "the markets' claims are final on time");
        assertFalse(settlement.isFinalized(0), "the batch waits for its accounts claim");
        assertEq(settlement.finalBatchCount(), 0, "count");
                _expectWithdrawalRefused(0, _err(IRollupSettlement.BatchNotFinal.selector, 0));

        _end(id, false);
        assertEq(_status(0, ACCOUNTS, 0), FINAL, "the defender won: final");
        assertTrue(settlement.isFinalized(0), "final");
        assertEq(settlement.finalBatchCount(), 1, "count");
        _withdrawBatch(0);
        assertEq(usdc.balanceOf(ALICE), PAID, "paid");
    }

    function test_aFallenMarketClaimVoidsItsDomainAloneAndTheBatchesPay() public {
        _wire(address(game));
        _commitBatch(); // k = 0
        _commitBatch(); // k + 1
        _commitBatch(); // k + 2
        bytes32 id = _open(ALICE, 0, MARKET, M1);
        _proverFor(id, true);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DomainVoided(MARKET, M1, 0, 0);
        game.prove(id, "");
        assertEq(_status(0, MARKET, M1), FALLEN, "fallen");
        assertEq(_status(1, MARKET, M1), VOID, "void from its batch on");
        assertEq(_status(2, MARKET, M1), VOID, "void");
        assertTrue(game.claimFallen(0, MARKET, M1), "the game's view");
        for (uint64 b = 0; b < 3; b++) {
            assertEq(_status(b, MARKET, M2), PENDING, "market 2 on schedule");
            assertEq(_status(b, ACCOUNTS, 0), PENDING, "accounts on schedule");
        }
        _pastWindow();
        for (uint64 b = 0; b < 3; b++) {
            assertEq(_status(b, MARKET, M2), FINAL, "market 2 final");
            assertEq(_status(b, ACCOUNTS, 0), FINAL, "accounts final");
            assertTrue(settlement.isFinalized(b), "the batch is final: a market does not hold withdrawals (yet)");
            _withdrawBatch(b);
        }
        assertEq(usdc.balanceOf(ALICE), 3 * PAID, "every batch paid");
        assertEq(_status(1, MARKET, M1), VOID, "still void");
        _expectChallengeRevert(
            BOB,
            _claimOf(1, MARKET, M1),
            LIE,
            abi.encodeWithSelector(IDisputeGame.ClaimNotPending.selector, 1, MARKET, M1, VOID)
        );
        _expectChallengeRevert(
            BOB, _claimOf(0, MARKET, M1), LIE, abi.encodeWithSelector(IDisputeGame.ClaimFallen.selector, 0, MARKET, M1)
        );
    }

    function test_aFallenAccountsClaimHoldsItsBatchAndLaterOnes() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _commitBatch();
        bytes32 id = _open(ALICE, 1, ACCOUNTS, 0);
        _end(id, true);
        _pastWindow();
        assertEq(_status(0, ACCOUNTS, 0), FINAL, "before the fall");
        assertEq(_status(1, ACCOUNTS, 0), FALLEN, "fallen");
        assertEq(_status(2, ACCOUNTS, 0), VOID, "void");
        assertTrue(settlement.isFinalized(0), "batch 0 final");
        assertFalse(settlement.isFinalized(1), "batch 1 waits");
        assertFalse(settlement.isFinalized(2), "batch 2 waits");
        assertEq(settlement.finalBatchCount(), 1, "a prefix of one");
        _withdrawBatch(0);
                _expectWithdrawalRefused(1, _err(IRollupSettlement.BatchNotFinal.selector, 1));
                _expectWithdrawalRefused(2, _err(IRollupSettlement.BatchNotFinal.selector, 2));

        IRollupSettlement.AccountsEnd memory original = _accountsEndOf(1);
        _repost(ACCOUNTS, 0, 1);
        assertFalse(settlement.isFinalized(1), "a fresh window");
        _pastWindow();
        assertTrue(settlement.isFinalized(2), "re-posted and past its window");
        assertEq(settlement.finalBatchCount(), 3, "all");
        // The withdrawals are proven against the re-posted end, never the fallen one's.
        vm.expectRevert(_err(IRollupSettlement.AccountsEndNotClaimed.selector, 1));
        settlement.claimWithdrawal(1, 6, 0, ALICE, PAID, new IRollupSettlement.HeldDraw[](0), new bytes32[](0), original);
        _withdrawBatch(1);
        _withdrawBatch(2);
    }

    function test_anEarlierDisputedClaimHoldsTheLaterOnesOfItsDomain() public {
        _wire(address(game));
        _commitBatch();
        bytes32 id = _open(ALICE, 0, ACCOUNTS, 0);
        vm.roll(block.number + 1);
        _commitBatch();
        _commitBatch();
        vm.roll(block.number + CHALLENGE_WINDOW + 1);
        assertEq(_status(0, ACCOUNTS, 0), DISPUTED, "disputed");
        assertEq(_status(1, ACCOUNTS, 0), HELD, "held by batch 0's game");
        assertEq(_status(2, ACCOUNTS, 0), HELD, "held");
        assertEq(_status(1, MARKET, M1), FINAL, "other domains final");
        assertEq(settlement.finalBatchCount(), 0, "a disputed accounts claim holds back later batches too");
        assertFalse(settlement.isFinalized(2), "batch 2");
        _end(id, false);
        assertEq(_status(2, ACCOUNTS, 0), FINAL, "final once the game ended");
        assertEq(settlement.finalBatchCount(), 3, "all");
    }

    function test_gamesAtSeveralBatchesHoldFromTheFirst() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _commitBatch();
        bytes32 g2 = _open(ALICE, 2, MARKET, M1);
        bytes32 g0 = _open(ALICE, 0, MARKET, M1);
        bytes32 g1 = _open(BOB, 1, MARKET, M1);
        bytes32 g1b = _open(CAROL, 1, MARKET, M1);
        _pastWindow();
        _end(g0, false);
        assertEq(_status(0, MARKET, M1), FINAL, "0 final");
        assertEq(_status(1, MARKET, M1), DISPUTED, "1 disputed");
        assertEq(_status(2, MARKET, M1), DISPUTED, "2 disputed");
        _end(g1, false);
        assertEq(_status(1, MARKET, M1), DISPUTED, "another game on 1");
        _end(g2, false);
        assertEq(_status(2, MARKET, M1), HELD, "2 held by 1");
        _end(g1b, false);
        assertEq(_status(1, MARKET, M1), FINAL, "1 final");
        assertEq(_status(2, MARKET, M1), FINAL, "2 final");
    }

    // ---- challenges ----

    function test_onlyAClaimBeforeItsWindowsEndIsChallenged() public {
        _wire(address(game));
        _commitBatch();
        bytes32 a = _open(ALICE, 0, ACCOUNTS, 0);
        bytes32 b = _open(BOB, 0, ACCOUNTS, 0); // a second game while the window runs
        (,, uint32 open,) = settlement.claimState(0, ACCOUNTS, 0);
        assertEq(open, 2, "two games");
        _pastWindow();
        _expectChallengeRevert(
            CAROL,
            _claimOf(0, ACCOUNTS, 0),
            LIE,
            abi.encodeWithSelector(IDisputeGame.ClaimNotPending.selector, 0, ACCOUNTS, 0, DISPUTED)
        );
        _expectChallengeRevert(
            CAROL,
            _claimOf(0, MARKET, M1),
            LIE,
            abi.encodeWithSelector(IDisputeGame.ClaimNotPending.selector, 0, MARKET, M1, FINAL)
        );
        vm.expectRevert(
            abi.encodeWithSelector(IRollupSettlement.ClaimNotPending.selector, 0, MARKET, M1, FINAL)
        );
        vm.prank(address(game));
        settlement.gameOpened(0, MARKET, M1);
        _end(a, false);
        _end(b, false);
        assertEq(_status(0, ACCOUNTS, 0), FINAL, "final");
    }

    function test_abandonClosesItsGameOnTheSettlement() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        bytes32 a = _open(ALICE, 0, MARKET, M1);
        bytes32 b = _open(BOB, 0, MARKET, M1);
        bytes32 c = _open(CAROL, 1, MARKET, M1);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.ClaimStands.selector, 1, MARKET, M1));
        game.abandon(c);
        _end(a, true);
        (,, uint32 open,) = settlement.claimState(0, MARKET, M1);
        assertEq(open, 1, "b still open");
        game.abandon(b);
        (,, open,) = settlement.claimState(0, MARKET, M1);
        assertEq(open, 0, "closed by the abandonment");
        assertEq(_status(1, MARKET, M1), VOID, "void");
        game.abandon(c); // a game against a void claim is abandoned too
        (,, open,) = settlement.claimState(1, MARKET, M1);
        assertEq(open, 0, "closed");
        assertEq(_status(0, MARKET, M1), FALLEN, "fallen stays fallen");
    }

    function test_aFormerGamesGamesStillEndOnTheSettlement() public {
        _wire(address(game));
        _commitBatch();
        bytes32 id = _open(ALICE, 0, ACCOUNTS, 0);
        DisputeGame next = new DisputeGame(
            address(settlement), address(fixedProver), address(fixedProver), CHALLENGER_BOND, DEFENDER_BOND, CLOCK, BURN_PPM
        );
        vm.prank(OPERATOR);
        settlement.proposeDisputeGame(address(next));
        vm.roll(block.number + TIMELOCK);
        settlement.executeDisputeGame();
        assertEq(_status(0, ACCOUNTS, 0), DISPUTED, "the old game's game holds");
        _end(id, false);
        assertEq(_status(0, ACCOUNTS, 0), FINAL, "its end is taken");
        vm.expectRevert(_err(IRollupSettlement.NotDisputeGame.selector, uint256(uint160(address(game)))));
        vm.prank(address(game));
        settlement.gameOpened(0, ACCOUNTS, 0);
    }

    // ---- re-posts ----

    function test_aRepostRestoresTheDomainUnderAFreshWindow() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _commitBatch();
        Claim memory original = _claimOf(1, MARKET, M1);
        _end(_open(ALICE, 0, MARKET, M1), true);
        vm.roll(block.number + 5);
        (IRollupSettlement.ReplacedClaim memory replaced, IRollupSettlement.RepostedClaim[] memory claims, uint64 from) =
            _repostArgs(MARKET, M1, 1);
        uint64 finalAt = uint64(block.number) + CHALLENGE_WINDOW;
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.ClaimsReposted(MARKET, M1, 0, 3, finalAt);
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, from, replaced, claims);
        _record(MARKET, M1, 0, claims);
        for (uint64 b = 0; b < 3; b++) {
            (IRollupSettlement.ClaimStatus s, uint32 version, uint32 open, uint64 at) = settlement.claimState(b, MARKET, M1);
            assertEq(uint256(s), PENDING, "pending again");
            assertEq(version, 1, "re-posted once");
            assertEq(open, 0, "no game");
            assertEq(at, finalAt, "a fresh window");
        }
        assertTrue(
            settlement.claimIncluded(1, MARKET, M1, claims[1].start, claims[1].end, 1, new bytes32[](0)),
            "the re-posted claim, no siblings"
        );
        assertFalse(
            settlement.claimIncluded(1, MARKET, M1, original.start, original.end, 1, original.siblings),
            "the voided original is not"
        );
        assertFalse(
            settlement.claimIncluded(1, MARKET, M1, claims[1].start, claims[1].end, 1, original.siblings),
            "siblings with a re-posted claim"
        );
        assertEq(settlement.finalBatchCount(), 0, "the accounts windows");
        vm.roll(finalAt - 1);
        assertEq(_status(2, MARKET, M1), PENDING, "window");
        assertEq(_status(2, MARKET, M2), FINAL, "market 2 on its own windows");
        vm.roll(finalAt);
        for (uint64 b = 0; b < 3; b++) {
            assertEq(_status(b, MARKET, M1), FINAL, "final");
        }

        // A batch committed after the re-post carries the domain's claim on from the re-posted end.
        _commitBatch();
        assertEq(posted[3][1].start, claims[2].end, "chained to the re-post");
    }

    function test_aRepostedClaimCanBeChallengedFallAndBeRepostedAgain() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _end(_open(ALICE, 0, MARKET, M1), true);
        _repost(MARKET, M1, 1);
        // Alice's game against version 0 stays; her challenge of version 1 is another game.
        bytes32 id = _open(ALICE, 1, MARKET, M1);
        assertEq(id, game.gameIdAt(1, MARKET, M1, ALICE, 1), "a game of version 1");
        assertTrue(id != game.gameIdOf(1, MARKET, M1, ALICE), "not version 0's id");
        bytes32 id0 = _open(BOB, 0, MARKET, M1);
        assertEq(id0, game.gameIdAt(0, MARKET, M1, BOB, 1), "version 1 at batch 0");
        _end(id0, false);
        _end(id, true);
        assertEq(_status(1, MARKET, M1), FALLEN, "the re-posted claim fell");
        assertTrue(game.claimFallen(1, MARKET, M1), "in the game");
        assertFalse(game.claimFallen(0, MARKET, M1), "batch 0's re-posted claim stands");
        _pastWindow();
        assertEq(_status(0, MARKET, M1), FINAL, "batch 0 final");
        _repost(MARKET, M1, 2);
        (, uint32 version,,) = settlement.claimState(1, MARKET, M1);
        assertEq(version, 2, "twice");
        (, version,,) = settlement.claimState(0, MARKET, M1);
        assertEq(version, 1, "batch 0 kept its version");
        assertEq(_status(1, MARKET, M1), PENDING, "pending");
        assertFalse(game.claimFallen(1, MARKET, M1), "version 2 has not fallen");
    }

    function test_aRepostIsRefusedUnlessItIsTheSequencersWholeRepost() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _commitBatch();
        IRollupSettlement.ReplacedClaim memory replaced;
        IRollupSettlement.RepostedClaim[] memory claims = new IRollupSettlement.RepostedClaim[](3);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.DomainNotVoid.selector, MARKET, M1));
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 0, replaced, claims);

        bytes32 open2 = _open(CAROL, 2, MARKET, M1);
        _end(_open(ALICE, 1, MARKET, M1), true);
        (replaced, claims,) = _repostArgs(MARKET, M1, 1);

        vm.expectRevert(_err(IRollupSettlement.NotSequencer.selector, uint256(uint160(ALICE))));
        vm.prank(ALICE);
        settlement.repostClaims(MARKET, M1, 1, replaced, claims);

        vm.expectRevert(_err(IRollupSettlement.WrongRepostFrom.selector, 1, 0));
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 0, replaced, claims);

        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.GamesStillOpen.selector, MARKET, M1, 2));
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 1, replaced, claims);
        game.abandon(open2);

        IRollupSettlement.RepostedClaim[] memory one = new IRollupSettlement.RepostedClaim[](1);
        one[0] = claims[0];
        vm.expectRevert(_err(IRollupSettlement.WrongRepostCount.selector, 2, 1));
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 1, replaced, one);

        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 1, replaced, claims);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.DomainNotVoid.selector, MARKET, M1));
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 1, replaced, claims);
    }

    function test_aRepostOfBatchZeroKeepsTheFallenClaimsStart() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _end(_open(ALICE, 0, MARKET, M1), true);
        (IRollupSettlement.ReplacedClaim memory replaced, IRollupSettlement.RepostedClaim[] memory claims,) =
            _repostArgs(MARKET, M1, 1);
        bytes32 start = claims[0].start;
        claims[0].start = keccak256("not the fallen claim's start");
        vm.expectRevert(_e(IRollupSettlement.ReplacedClaimNotProven.selector));
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 0, replaced, claims);
        claims[0].start = start;

        replaced.steps = 2;
        vm.expectRevert(_e(IRollupSettlement.ReplacedClaimNotProven.selector));
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 0, replaced, claims);
        replaced.steps = 1;

        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 0, replaced, claims);
        assertTrue(settlement.claimIncluded(0, MARKET, M1, start, claims[0].end, 1, new bytes32[](0)), "re-posted from the kept start");
    }

    function test_aRepostOfALaterBatchMayStartAnew() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _end(_open(ALICE, 1, MARKET, M1), true);
        (IRollupSettlement.ReplacedClaim memory replaced, IRollupSettlement.RepostedClaim[] memory claims,) =
            _repostArgs(MARKET, M1, 1);
        // Its start is proveStartBroken's to hold to batch 0's claim (BrokenStart.t.sol), not the re-post's.
        claims[0].start = keccak256("a start mended");
        vm.prank(SEQUENCER);
        settlement.repostClaims(MARKET, M1, 1, replaced, claims);
        assertTrue(settlement.claimIncluded(1, MARKET, M1, claims[0].start, claims[0].end, 1, new bytes32[](0)), "the new start stands");
    }

    function test_theEarliestFallIsWhereTheRepostStarts() public {
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _commitBatch();
        bytes32 early = _open(BOB, 0, MARKET, M1);
        _end(_open(ALICE, 2, MARKET, M1), true);
        assertEq(_status(1, MARKET, M1), PENDING, "before the fall: pending");
        _proverFor(early, true);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DomainVoided(MARKET, M1, 0, 0);
        game.prove(early, "");
        assertEq(_status(1, MARKET, M1), VOID, "void from batch 0");
        assertEq(_status(2, MARKET, M1), FALLEN, "batch 2's own fall");
        assertEq(_voidFrom(MARKET, M1), 0, "from 0");
        _repost(MARKET, M1, 1);
        assertEq(_status(2, MARKET, M1), PENDING, "batch 2 re-posted too");
    }

    function test_aRepostAfterFreezeIsRefused() public {
        _wire(address(game));
        _commitBatch();
        _end(_open(ALICE, 0, ACCOUNTS, 0), true);
        vm.roll(block.number + ESCAPE_TIMEOUT + 1);
        settlement.freeze();
        assertEq(settlement.escapeStateRoot(), GENESIS_ROOT, "nothing final: the genesis state");
        (IRollupSettlement.ReplacedClaim memory replaced, IRollupSettlement.RepostedClaim[] memory claims, uint64 from) =
            _repostArgs(ACCOUNTS, 0, 1);
        vm.expectRevert(_e(IRollupSettlement.ContractFrozen.selector));
        vm.prank(SEQUENCER);
        settlement.repostClaims(ACCOUNTS, 0, from, replaced, claims);
    }

    function test_freezeTakesTheAccountsFinalPrefix() public {
        _wire(address(game));
        _commitBatch();
        vm.roll(block.number + 1);
        _commitBatch();
        _open(ALICE, 1, ACCOUNTS, 0);
        vm.roll(block.number + ESCAPE_TIMEOUT + 1);
        assertEq(settlement.finalBatchCount(), 1, "batch 1 disputed");
        settlement.freeze();
        assertEq(settlement.escapeStateRoot(), settlement.batch(0).stateRoot, "batch 0's state");
        assertTrue(settlement.isFinalized(0), "0");
        assertFalse(settlement.isFinalized(1), "1 never");
    }

    function test_aTimeoutTellsTheSettlementToo() public {
        _wire(address(game));
        _commitBatch();
        bytes32 id = _open(ALICE, 0, ACCOUNTS, 0);
        vm.roll(block.number + CLOCK);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DomainVoided(ACCOUNTS, 0, 0, 0);
        game.timeout(id); // the defender never moved: the claim falls
        assertEq(_status(0, ACCOUNTS, 0), FALLEN, "fallen");
        assertEq(settlement.finalBatchCount(), 0, "held");
    }

    function test_aGameThatIsNotTheSettlementsTellsItNothing() public {
        _wire(address(game));
        _commitBatch();
        DisputeGame alone = new DisputeGame(
            address(settlement), address(fixedProver), address(fixedProver), CHALLENGER_BOND, DEFENDER_BOND, CLOCK, BURN_PPM
        );
        Claim memory c = _claimOf(0, ACCOUNTS, 0);
        vm.prank(ALICE);
        bytes32 id = alone.challenge{value: CHALLENGER_BOND}(c.batchIndex, c.kind, c.market, c.start, c.end, c.steps, c.siblings, LIE);
        (, bool hooked) = alone.gameVersion(id);
        assertFalse(hooked, "not told");
        assertEq(_status(0, ACCOUNTS, 0), PENDING, "no game counted");
        fixedProver.set(c.start, LIE);
        alone.prove(id, "");
        assertTrue(alone.claimFallen(0, ACCOUNTS, 0), "fallen in that game");
        assertEq(_status(0, ACCOUNTS, 0), PENDING, "not on the settlement");
        _pastWindow();
        assertTrue(settlement.isFinalized(0), "final by its window");
        c = _claimOf(0, MARKET, M1);
        vm.expectRevert(abi.encodeWithSelector(IDisputeGame.BatchFinal.selector, 0));
        vm.prank(BOB);
        alone.challenge{value: CHALLENGER_BOND}(c.batchIndex, c.kind, c.market, c.start, c.end, c.steps, c.siblings, LIE);
    }
}
