// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "../IRollupSettlement.sol";
import {IOneStepProver} from "./IOneStepProver.sol";
import {IBondLedger} from "../IBondLedger.sol";

/// @notice The bisection game's whole external interface (docs/disputes.md): a challenger disputes one domain's claim
/// of one batch, the sequencer defends it, the two narrow their disagreement to one step by halving the range of step
/// indices, and the domain's one-step prover decides. All block numbers and clocks are L1 blocks.
interface IDisputeGame is IBondLedger {
    // ---- types ----

    enum Status {
        None, // no such game
        Open,
        DefenderWon,
        ChallengerWon,
        Abandoned // the claim fell in another game: both bonds returned
    }

    enum Side {
        Defender, // to bisect while more than one step is left, then to have the step proven
        Challenger // to answer the defender's bisection
    }

    /// A key's path in a sparse Merkle tree that shows it absent: `siblings` from the root down, ending at `endingKey`'s
    /// leaf, or at an empty subtree when `endingKey` is zero.
    struct Absence {
        bytes32[] siblings;
        bytes32 endingKey;
        bytes32 endingValueHash;
    }

    /// The domain's claim in the batch before, opened as it stands (its end's ABI words: 17 for the accounts domain, 20
    /// for a market; `siblings` its leaf in that batch's claimsRoot, none once re-posted). For a market not registered at
    /// the batch before's end, the batch before's accounts claim instead, opened the same way (17 words), with the
    /// market's key keccak256(u32 m) absent from its registry, word 1 (`registry`; unread otherwise).
    struct PreviousClaim {
        bytes32 start;
        uint64 steps;
        bytes32[] endWords;
        bytes32[] siblings;
        Absence registry;
    }

    /// A game's whole state, as stored (seven slots).
    struct Game {
        address challenger;
        uint64 batchIndex;
        uint8 kind; // 0 accounts, 1 market
        Status status;
        bool defenderBonded; // the defender's first bisection carried its bond
        Side toMove;
        address defender; // the settlement contract's sequencer when the game started
        uint32 market;
        uint64 lo; // the step index both sides agree on the state at
        uint64 hi; // the step index they disagree on the state at; hi > lo
        uint64 defenderClock; // blocks left on each side's clock, as of turnSince for the side to move
        uint64 challengerClock;
        uint64 turnSince; // the L1 block the side to move's clock started running
        bytes32 agreed; // the state hash at lo (the claim's start while lo is 0)
        bytes32 defenderHash; // the defender's state hash at hi (the claim's end while hi is its step count)
        bytes32 challengerHash; // the challenger's state hash at hi
        bytes32 mid; // the defender's state hash at lo + (hi - lo) / 2, while the challenger is to answer; else zero
    }

    // ---- events ----

    event GameStarted(
        bytes32 indexed gameId,
        uint64 indexed batchIndex,
        uint8 kind,
        uint32 market,
        address indexed challenger,
        bytes32 end,
        bytes32 challengerEnd
    );
    /// After each bisection (range unchanged, the defender's midpoint in game(gameId).mid) and each answer.
    event Moved(bytes32 indexed gameId, uint64 lo, uint64 hi);
    event Resolved(bytes32 indexed gameId, bool challengerWon);
    /// The claim a challenger won against (gameId zero: felled at once, cut short by proveNotEnded, a broken start by
    /// proveStartBroken or a missing claim by proveClaimMissing): fallen from now on (the settlement, if this is its dispute game, voids the
    /// domain from this batch on until its claims are re-posted).
    event ClaimFell(uint64 indexed batchIndex, uint8 kind, uint32 market, bytes32 gameId);
    event Abandoned(bytes32 indexed gameId);
    /// The one step left reads the claim (kind, market) of the game's batch, not Final yet: the defender's clock is
    /// stopped until resumeClock (docs/disputes.md, "One-step provers").
    event GameAwaitingInput(bytes32 indexed gameId, uint8 kind, uint32 market);
    event GameClockResumed(bytes32 indexed gameId);

    // ---- errors ----

    error ZeroAddress();
    /// clockBlocks outside 1 .. 2^32 - 1, or burnPpm above 1,000,000.
    error InvalidConfig();
    /// No one-step prover is deployed for this domain kind (yet): a claim of it cannot be disputed.
    error NoProver(uint8 kind);
    /// The claim (kind, market, start, end, steps) is not the batch's by the settlement contract's claimIncluded.
    error UnknownClaim();
    error BatchFinal(uint64 batchIndex);
    /// The settlement's dispute game disputes only a claim whose window has not passed and that is neither fallen nor
    /// void (status: IRollupSettlement.claimStatus; Disputed when the window passed with a game still open).
    error ClaimNotPending(uint64 batchIndex, uint8 kind, uint32 market, IRollupSettlement.ClaimStatus status);
    /// A claim of zero steps has no step to disagree on.
    error NothingToDispute();
    /// Batch 0's claims start from a genesis that is not the empty state: no step state to check a start against.
    error NoPreviousBatch();
    /// The previous claim as opened is not the batch before's (claimIncluded), or its words are not the domain's count,
    /// or (a market not registered) the path does not show the market absent from that accounts end's registry.
    error PreviousNotProven();
    /// The claim's start is where the previous claim leads: nothing to fell.
    error StartFollows();
    /// proveClaimMissing: the market is not in the accounts claim's registry at the batch's end (registrySiblings do
    /// not lead to its word 1 with the market's leaf).
    error NotRegistered(uint32 market);
    /// proveClaimMissing: the batch claims the market (committed, or re-posted: its claim's version is not 0), or the
    /// absence path does not lead to the batch's claimsRoot. (An accounts claim not the batch's is UnknownClaim.)
    error ClaimNotMissing(uint32 market);
    error SameEnd();
    error WrongBond(uint256 expected, uint256 given);
    error GameExists(bytes32 gameId);
    error UnknownGame(bytes32 gameId);
    error GameNotOpen(bytes32 gameId, Status status);
    /// The claim fell in another game: nothing is decided here any more, the game can only be abandoned.
    error ClaimFallen(uint64 batchIndex, uint8 kind, uint32 market);
    /// abandon() of a game whose claim has not fallen.
    error ClaimStands(uint64 batchIndex, uint8 kind, uint32 market);
    /// The move is `toMove`'s (for prove: the step is not down to one yet, see NotOneStep).
    error NotYourTurn(address toMove);
    /// One step is left (the one after `step`): it is to be proven, not bisected.
    error OneStepLeft(uint64 step);
    error NotOneStep(uint64 lo, uint64 hi);
    /// A disagreeing answer must post a state hash other than the defender's.
    error SameState();
    error WrongPreState(bytes32 expected, bytes32 given);
    /// The side to move used its clock up at L1 block `ranOutAt`: only timeout() is left.
    error ClockOut(uint64 ranOutAt);
    error ClockNotOut(uint64 remaining);
    /// The step reads the claim (kind, market) of the batch, whose status is not Final: it is proven once it is (a
    /// defender stops its clock meanwhile with awaitInput).
    error InputNotFinal(uint8 kind, uint32 market, IRollupSettlement.ClaimStatus status);
    /// awaitInput of a step that reads no other claim, or one that is Final already: prove it.
    error NothingToAwait();
    /// A game awaits its input once: the defender's clock is stopped, or was once already.
    error AlreadyAwaited();
    /// timeout while the defender's clock is stopped for the input (kind, market); resumeClock first, once it is Final.
    error AwaitingInput(uint8 kind, uint32 market);
    error NotAwaiting();

    // ---- the game ----

    function challenge(
        uint64 batchIndex,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata claimSiblings,
        bytes32 challengerEnd
    ) external payable returns (bytes32 gameId);
    function bisect(bytes32 gameId, bytes32 mid) external payable;
    function answer(bytes32 gameId, bool agree, bytes32 mid) external;
    function prove(bytes32 gameId, bytes calldata proof) external;
    function timeout(bytes32 gameId) external;
    /// @notice The defender, one step left, shows with the step's proof (its pre-state the agreed one) that the step
    /// reads another domain's claim of the batch that is not Final: its clock is charged to this block and stops, and
    /// timeout is refused, until resumeClock. Once per game.
    function awaitInput(bytes32 gameId, bytes calldata proof) external;
    /// @notice Anyone, once the awaited claim is Final: the defender's clock runs again with what it had left.
    function resumeClock(bytes32 gameId) external;
    function abandon(bytes32 gameId) external;
    /// @notice Fells a claim whose start is not where the domain's claim in the batch before ends (docs/disputes.md,
    /// "A claim's start"): the start is that end with the batch-scoped fields reset, or nothing for a market not
    /// registered at the batch before's end; for batch 0, the empty genesis's (`previous` not read). No game, no bond.
    function proveStartBroken(
        uint64 batchIndex,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata claimSiblings,
        PreviousClaim calldata previous
    ) external;
    /// Fells the claim a batch owes and does not make (docs/disputes.md, "A missing claim"): every market registered at a
    /// batch's end is claimed in it, so market `market` in the registry of the batch's accounts claim (opened, as it
    /// stands) and absent from its claimsRoot is a claim missing. It falls as if made and wrong: the market's claims are
    /// void from the batch on until the sequencer re-posts them. No game, no bond.
    function proveClaimMissing(
        uint64 batchIndex,
        uint32 market,
        IRollupSettlement.AccountsEnd calldata accounts,
        bytes32[] calldata registrySiblings,
        Absence calldata absence
    ) external;
    /// @notice Fells a claim whose step count stops short of its domain's trace: `proof` proves a step from the claim's
    /// end (no step is provable from a trace's true end, docs/disputes.md "A claim cut short"). No game, no bond.
    function proveNotEnded(
        uint64 batchIndex,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata claimSiblings,
        bytes calldata proof
    ) external;

    // bonds: pull payments (IBondLedger), a resolution credits, withdraw() pays

    // ---- views ----

    function game(bytes32 gameId) external view returns (Game memory);
    /// Each side's clock as of this block (the running one charged).
    function clocks(bytes32 gameId) external view returns (uint64 defenderLeft, uint64 challengerLeft);
    /// The id of a game against a claim as committed (version 0).
    function gameIdOf(uint64 batchIndex, uint8 kind, uint32 market, address challenger) external pure returns (bytes32);
    /// The id of a game against version `version` of the claim (IRollupSettlement.claimState): gameIdOf for 0, else
    /// keccak256(abi.encode(batchIndex, kind, market, challenger, version)).
    function gameIdAt(uint64 batchIndex, uint8 kind, uint32 market, address challenger, uint32 version)
        external
        pure
        returns (bytes32);
    /// The claim version the game disputes and whether the settlement was told of it (its dispute game when it opened).
    function gameVersion(bytes32 gameId) external view returns (uint32 version, bool hooked);
    /// Whether the claim fell: its current version's, when this is the settlement's dispute game.
    function claimFallen(uint64 batchIndex, uint8 kind, uint32 market) external view returns (bool);
    function proverOf(uint8 kind) external view returns (IOneStepProver);
    /// The claim the defender's clock is stopped for (awaitInput), if it is.
    function awaitedInput(bytes32 gameId) external view returns (bool awaiting, uint8 kind, uint32 market);
    /// What the step `proof` proves in the game reads (IOneStepProver.inputOf) and that claim's status now: a client's
    /// one question before it proves or awaits.
    function stepInput(bytes32 gameId, bytes calldata proof)
        external
        view
        returns (bool reads, uint8 kind, uint32 market, IRollupSettlement.ClaimStatus status);
    function settlement() external view returns (IRollupSettlement);
    function challengerBond() external view returns (uint256);
    function defenderBond() external view returns (uint256);
    function clockBlocks() external view returns (uint64);
    function burnPpm() external view returns (uint32);
}
