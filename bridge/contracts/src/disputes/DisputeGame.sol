// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "../IRollupSettlement.sol";
import {IDisputeGame} from "./IDisputeGame.sol";
import {IOneStepProver} from "./IOneStepProver.sol";
import {BondLedger} from "../BondLedger.sol";
import {SparseMerkleAbsence} from "../SparseMerkleAbsence.sol";
import {SparseMerkleProof} from "../SparseMerkleProof.sol";

/// @notice The bisection game of docs/disputes.md. A challenger disputes the end of one domain's claim in one batch;
/// the defender (the sequencer) bisects the disputed range [lo, hi] of step indices, the challenger agrees or
/// disagrees with each midpoint, and once one step is left the domain's one-step prover says which end is right.
/// Each side has a chess clock of clockBlocks L1 blocks for all its moves, so a game ends within 2 x clockBlocks.
/// A game decides one claim only: the claim falls when any challenger wins, and the other games against it are then
/// abandoned with their bonds returned.
contract DisputeGame is IDisputeGame, BondLedger {
    uint8 internal constant ACCOUNTS = 0;
    uint8 internal constant MARKET = 1;
    uint256 internal constant PPM = 1_000_000;
    uint256 internal constant ACCOUNTS_WORDS = 17;
    uint256 internal constant MARKET_WORDS = 20;

    IRollupSettlement public immutable settlement;
    IOneStepProver internal immutable _accountsProver;
    IOneStepProver internal immutable _marketProver;
    uint256 public immutable challengerBond;
    uint256 public immutable defenderBond;
    uint64 public immutable clockBlocks;
    uint32 public immutable burnPpm;

    /// A game as stored: Game with the clocks in 32 bits (they never exceed clockBlocks), which leaves room in the
    /// third slot for the claim's version (re-posts, IRollupSettlement.claimState), whether the settlement was told,
    /// and the claim a stopped defender's clock waits for (awaitInput).
    struct Stored {
        address challenger;
        uint64 batchIndex;
        uint8 kind;
        Status status;
        bool defenderBonded;
        Side toMove;
        address defender;
        uint32 market;
        uint64 lo;
        uint64 hi;
        uint32 defenderClock;
        uint32 challengerClock;
        uint64 turnSince;
        uint32 version;
        bool hooked; // gameOpened was called: gameClosed will be
        bool awaiting; // the defender's clock is stopped for the input claim below (awaitInput)
        bool awaited; // awaitInput was called once
        uint8 inputKind;
        uint32 inputMarket;
        bytes32 agreed;
        bytes32 defenderHash;
        bytes32 challengerHash;
        bytes32 mid;
    }

    mapping(bytes32 gameId => Stored) private _games;
    mapping(bytes32 claimKey => bool) private _fallen;

    constructor(
        address settlement_,
        address accountsProver,
        address marketProver,
        uint256 challengerBond_,
        uint256 defenderBond_,
        uint64 clockBlocks_,
        uint32 burnPpm_
    ) {
        if (settlement_ == address(0) || accountsProver == address(0)) revert ZeroAddress();
        if (clockBlocks_ == 0 || clockBlocks_ > type(uint32).max || burnPpm_ > PPM) revert InvalidConfig();
        settlement = IRollupSettlement(settlement_);
        _accountsProver = IOneStepProver(accountsProver);
        _marketProver = IOneStepProver(marketProver);
        challengerBond = challengerBond_;
        defenderBond = defenderBond_;
        clockBlocks = clockBlocks_;
        burnPpm = burnPpm_;
    }

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
    ) external payable returns (bytes32 gameId) {
        if (address(proverOf(kind)) == address(0)) revert NoProver(kind);
        if (steps == 0) revert NothingToDispute();
        if (challengerEnd == end) revert SameEnd();
        if (msg.value != challengerBond) revert WrongBond(challengerBond, msg.value);
        Admission memory a = _admission(batchIndex, kind, market);
        gameId = gameIdAt(batchIndex, kind, market, msg.sender, a.version);
        if (_games[gameId].status != Status.None) revert GameExists(gameId);
        if (_fallen[_claimKey(batchIndex, kind, market, a.version)]) revert ClaimFallen(batchIndex, kind, market);
        if (!settlement.claimIncluded(batchIndex, kind, market, start, end, steps, claimSiblings)) revert UnknownClaim();
        if (a.wired) _tellOpened(batchIndex, kind, market, a);
        else if (settlement.isFinalized(batchIndex)) revert BatchFinal(batchIndex);

        Stored storage g = _games[gameId];
        g.challenger = msg.sender;
        g.batchIndex = batchIndex;
        g.kind = kind;
        g.status = Status.Open;
        g.toMove = Side.Defender;
        g.defender = settlement.sequencer();
        g.market = market;
        g.hi = steps;
        g.defenderClock = uint32(clockBlocks);
        g.challengerClock = uint32(clockBlocks);
        g.turnSince = uint64(block.number);
        g.version = a.version;
        g.hooked = a.wired;
        g.agreed = start;
        g.defenderHash = end;
        g.challengerHash = challengerEnd;
        emit GameStarted(gameId, batchIndex, kind, market, msg.sender, end, challengerEnd);
    }

    /// @notice The defender's state hash after step lo + (hi - lo) / 2. Its first bisection carries its bond.
    function bisect(bytes32 gameId, bytes32 mid) external payable {
        Stored storage g = _open(gameId);
        if (g.toMove != Side.Defender || msg.sender != g.defender) revert NotYourTurn(_mover(g));
        if (g.hi - g.lo == 1) revert OneStepLeft(g.lo);
        uint256 bond = g.defenderBonded ? 0 : defenderBond;
        if (msg.value != bond) revert WrongBond(bond, msg.value);
        _chargeClock(g);
        g.defenderBonded = true;
        g.mid = mid;
        g.toMove = Side.Challenger;
        emit Moved(gameId, g.lo, g.hi);
    }

    /// @notice The challenger's answer to the defender's midpoint: agreed, the dispute moves above it; else `mid` is
    /// the challenger's own state hash there and the dispute moves below it.
    function answer(bytes32 gameId, bool agree, bytes32 mid) external {
        Stored storage g = _open(gameId);
        if (g.toMove != Side.Challenger || msg.sender != g.challenger) revert NotYourTurn(_mover(g));
        bytes32 defenderMid = g.mid;
        uint64 m = g.lo + (g.hi - g.lo) / 2;
        _chargeClock(g);
        if (agree) {
            g.lo = m;
            g.agreed = defenderMid;
        } else {
            if (mid == defenderMid) revert SameState();
            g.hi = m;
            g.defenderHash = defenderMid;
            g.challengerHash = mid;
        }
        g.mid = bytes32(0);
        g.toMove = Side.Defender;
        emit Moved(gameId, g.lo, g.hi);
    }

    /// @notice Anyone's proof of the one step left: the defender wins if the prover's state after it is the
    /// defender's, the challenger otherwise (a hash no valid step reaches is wrong, whatever the challenger said).
    function prove(bytes32 gameId, bytes calldata proof) external {
        Stored storage g = _open(gameId);
        if (g.hi - g.lo != 1) revert NotOneStep(g.lo, g.hi);
        // At one step left the defender is to move: its clock bounds the proof too.
        (bool out, uint64 ranOutAt,) = _clockOfMover(g);
        if (out) revert ClockOut(ranOutAt);
        _requireInputFinal(g, proof);
        (bytes32 pre, bytes32 post) = proverOf(g.kind).prove(g.batchIndex, settlement.batch(g.batchIndex), g.market, proof);
        if (pre != g.agreed) revert WrongPreState(g.agreed, pre);
        _resolve(gameId, g, post != g.defenderHash);
    }

    function awaitInput(bytes32 gameId, bytes calldata proof) external {
        Stored storage g = _open(gameId);
        if (g.hi - g.lo != 1) revert NotOneStep(g.lo, g.hi);
        if (msg.sender != g.defender) revert NotYourTurn(g.defender);
        if (g.awaited) revert AlreadyAwaited();
        (bytes32 pre, bool reads, uint8 kind, uint32 market, IRollupSettlement.ClaimStatus status) = _stepInput(g, proof);
        if (pre != g.agreed) revert WrongPreState(g.agreed, pre);
        if (!reads || status == IRollupSettlement.ClaimStatus.Final) revert NothingToAwait();
        _chargeClock(g);
        g.awaiting = true;
        g.awaited = true;
        g.inputKind = kind;
        g.inputMarket = market;
        emit GameAwaitingInput(gameId, kind, market);
    }

    function resumeClock(bytes32 gameId) external {
        Stored storage g = _open(gameId);
        if (!g.awaiting) revert NotAwaiting();
        IRollupSettlement.ClaimStatus status = settlement.claimStatus(g.batchIndex, g.inputKind, g.inputMarket);
        if (status != IRollupSettlement.ClaimStatus.Final) revert InputNotFinal(g.inputKind, g.inputMarket, status);
        g.awaiting = false;
        g.turnSince = uint64(block.number);
        emit GameClockResumed(gameId);
    }

    /// @notice The side to move has used its clock up: the other side wins.
    function timeout(bytes32 gameId) external {
        Stored storage g = _open(gameId);
        if (g.awaiting) revert AwaitingInput(g.inputKind, g.inputMarket);
        (bool out,, uint64 left) = _clockOfMover(g);
        if (!out) revert ClockNotOut(left);
        _resolve(gameId, g, g.toMove == Side.Defender);
    }

    /// @notice A claim cut short falls at once: the prover accepts a step from its end, and a trace's true end has none
    /// (the next would be a BlockStart of the block after the batch's last, whose header is not in blocksRoot). The
    /// claim must be open to games, as for challenge; the settlement is told of it as a game opened and closed fallen.
    function proveNotEnded(
        uint64 batchIndex,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata claimSiblings,
        bytes calldata proof
    ) external {
        (bytes32 key, bool wired) = _admitAtOnce(batchIndex, kind, market, start, end, steps, claimSiblings);
        _requireStepFrom(end, batchIndex, kind, market, proof);
        _fellAtOnce(key, wired, batchIndex, kind, market);
    }

    /// The checks of challenge for a claim to be disputed, less the bond and the ends, for a claim shown wrong at once
    /// (proveNotEnded, proveStartBroken); the settlement told of a game.
    function _admitAtOnce(
        uint64 batchIndex,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata claimSiblings
    ) private returns (bytes32 key, bool wired) {
        Admission memory a;
        (key, a) = _admittedAtOnce(batchIndex, kind, market);
        if (!settlement.claimIncluded(batchIndex, kind, market, start, end, steps, claimSiblings)) revert UnknownClaim();
        _openedAtOnce(batchIndex, kind, market, a);
        wired = a.wired;
    }

    /// A claim that may be felled at once: a prover for its kind, not fallen; its fall key (by the claim's version).
    function _admittedAtOnce(uint64 batchIndex, uint8 kind, uint32 market) private view returns (bytes32 key, Admission memory a) {
        if (address(proverOf(kind)) == address(0)) revert NoProver(kind);
        a = _admission(batchIndex, kind, market);
        key = _claimKey(batchIndex, kind, market, a.version);
        if (_fallen[key]) revert ClaimFallen(batchIndex, kind, market);
    }

    /// The settlement told of a game opened (its claim still open to one), or, unwired, the batch not yet final.
    function _openedAtOnce(uint64 batchIndex, uint8 kind, uint32 market, Admission memory a) private {
        if (a.wired) _tellOpened(batchIndex, kind, market, a);
        else if (settlement.isFinalized(batchIndex)) revert BatchFinal(batchIndex);
    }

    /// The prover accepts a step whose state before is `end` (it reverts with its reason otherwise).
    function _requireStepFrom(bytes32 end, uint64 batchIndex, uint8 kind, uint32 market, bytes calldata proof) private view {
        (bytes32 pre,) = proverOf(kind).prove(batchIndex, settlement.batch(batchIndex), market, proof);
        if (pre != end) revert WrongPreState(end, pre);
    }

    function proveStartBroken(
        uint64 batchIndex,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata claimSiblings,
        PreviousClaim calldata previous
    ) external {
        // Batch 0 starts from genesis: known when it is the empty state (a zero genesis root), else not a step state L1 holds.
        if (batchIndex == 0 && settlement.genesisStateRoot() != bytes32(0)) revert NoPreviousBatch();
        (bytes32 key, bool wired) = _admitAtOnce(batchIndex, kind, market, start, end, steps, claimSiblings);
        bytes32 expected = batchIndex == 0 ? _emptyStart(kind, market) : _startAfter(batchIndex, kind, market, previous);
        if (expected == start) revert StartFollows();
        _fellAtOnce(key, wired, batchIndex, kind, market);
    }

    /// Batch 0's start from the empty genesis (docs/disputes.md, "A claim's start"): the accounts domain's every word
    /// zero (empty trees, no deposits, block 0, first sequence 0), a market's nothing at block 0.
    function _emptyStart(uint8 kind, uint32 market) private pure returns (bytes32) {
        bytes32[] memory w = new bytes32[](kind == ACCOUNTS ? ACCOUNTS_WORDS : MARKET_WORDS);
        if (kind == MARKET) w[0] = bytes32(uint256(market));
        return keccak256(abi.encodePacked(w));
    }

    function proveClaimMissing(
        uint64 batchIndex,
        uint32 market,
        IRollupSettlement.AccountsEnd calldata accounts,
        bytes32[] calldata registrySiblings,
        Absence calldata absence
    ) external {
        (bytes32 key, Admission memory a) = _admittedAtOnce(batchIndex, MARKET, market);
        // A re-post (version 1 on) is the batch's claim of the market: no longer missing.
        if (a.version != 0) revert ClaimNotMissing(market);
        bytes32 end = keccak256(abi.encodePacked(accounts.end));
        if (!settlement.claimIncluded(batchIndex, ACCOUNTS, 0, accounts.start, end, accounts.steps, accounts.siblings)) {
            revert UnknownClaim();
        }
        // Registered at the batch's end: the registry (word 1) holds keccak256(u32 m) with the value hash keccak256(0x01).
        bytes32 registered = SparseMerkleProof.root(keccak256(abi.encodePacked(market)), keccak256(hex"01"), registrySiblings);
        if (registered != accounts.end[1]) revert NotRegistered(market);
        bytes32 domainKey = keccak256(abi.encodePacked(MARKET, market));
        bytes32 claimsRoot = settlement.batch(batchIndex).claimsRoot;
        if (SparseMerkleAbsence.root(domainKey, absence.endingKey, absence.endingValueHash, absence.siblings) != claimsRoot) {
            revert ClaimNotMissing(market);
        }
        _openedAtOnce(batchIndex, MARKET, market, a);
        _fellAtOnce(key, a.wired, batchIndex, MARKET, market);
    }

    /// A claim shown wrong with no game: fallen, and the settlement told as of a game opened and closed fallen.
    function _fellAtOnce(bytes32 key, bool wired, uint64 batchIndex, uint8 kind, uint32 market) private {
        _fallen[key] = true;
        emit ClaimFell(batchIndex, kind, market, bytes32(0));
        if (wired) settlement.gameClosed(batchIndex, kind, market, true);
    }

    /// The start the domain's claim in `batchIndex` must have (docs/steps.md, "Its step state" of each domain): the
    /// previous claim's end with the batch-scoped, block-scoped and cursor fields reset to the batch's start.
    function _startAfter(uint64 batchIndex, uint8 kind, uint32 market, PreviousClaim calldata p) private view returns (bytes32) {
        IRollupSettlement.Batch memory before = settlement.batch(batchIndex - 1);
        uint64 firstBlock = before.lastBlock + 1;
        bytes32[] memory w;
        bytes32 previousEnd = keccak256(abi.encodePacked(p.endWords));
        if (kind == MARKET && p.endWords.length == ACCOUNTS_WORDS) {
            // A market not in the registry at the batch before's end (its accounts claim, opened, word 1): created in
            // this batch, it starts from nothing, whatever the batch before may claim of it.
            if (!settlement.claimIncluded(batchIndex - 1, ACCOUNTS, 0, p.start, previousEnd, p.steps, p.siblings)) {
                revert PreviousNotProven();
            }
            bytes32 key = keccak256(abi.encodePacked(market));
            if (SparseMerkleAbsence.root(key, p.registry.endingKey, p.registry.endingValueHash, p.registry.siblings) != p.endWords[1]) {
                revert PreviousNotProven();
            }
            w = new bytes32[](MARKET_WORDS);
            w[0] = bytes32(uint256(market));
        } else {
            if (p.endWords.length != (kind == ACCOUNTS ? ACCOUNTS_WORDS : MARKET_WORDS)) revert PreviousNotProven();
            if (!settlement.claimIncluded(batchIndex - 1, kind, market, p.start, previousEnd, p.steps, p.siblings)) {
                revert PreviousNotProven();
            }
            w = p.endWords;
            if (kind == ACCOUNTS) {
                // Batch-scoped 5..7, the cursor 8..11 and block-scoped 12..16.
                for (uint256 i = 5; i < ACCOUNTS_WORDS; i++) {
                    w[i] = 0;
                }
                w[9] = bytes32(uint256(settlement.batch(batchIndex).firstSequence));
            } else {
                // timestamp, nextMessage, phase; outbox, receipts, pending, liquidatedThisRound. Record and trees carry over.
                (w[2], w[3], w[4]) = (0, 0, 0);
                for (uint256 i = 16; i < MARKET_WORDS; i++) {
                    w[i] = 0;
                }
            }
        }
        w[kind == ACCOUNTS ? 8 : 1] = bytes32(uint256(firstBlock - 1));
        return keccak256(abi.encodePacked(w));
    }

    /// @notice Ends a game whose claim fell in another one, or (told to the settlement) is void there, an earlier claim
    /// of its domain having fallen, without a winner: each side gets back the bond it posted.
    function abandon(bytes32 gameId) external {
        Stored storage g = _games[gameId];
        _requireOpen(gameId, g);
        (uint64 batchIndex, uint8 kind, uint32 market) = (g.batchIndex, g.kind, g.market);
        if (
            !_fallen[_claimKey(batchIndex, kind, market, g.version)]
                && !(g.hooked && settlement.claimStatus(batchIndex, kind, market) == IRollupSettlement.ClaimStatus.Void)
        ) revert ClaimStands(batchIndex, kind, market);
        g.status = Status.Abandoned;
        _credit(g.challenger, challengerBond);
        if (g.defenderBonded) _credit(g.defender, defenderBond);
        emit Abandoned(gameId);
        if (g.hooked) settlement.gameClosed(batchIndex, kind, market, false);
    }

    // ---- views ----

    function game(bytes32 gameId) external view returns (Game memory) {
        Stored storage g = _games[gameId];
        return Game(
            g.challenger,
            g.batchIndex,
            g.kind,
            g.status,
            g.defenderBonded,
            g.toMove,
            g.defender,
            g.market,
            g.lo,
            g.hi,
            g.defenderClock,
            g.challengerClock,
            g.turnSince,
            g.agreed,
            g.defenderHash,
            g.challengerHash,
            g.mid
        );
    }

    function gameVersion(bytes32 gameId) external view returns (uint32 version, bool hooked) {
        Stored storage g = _games[gameId];
        return (g.version, g.hooked);
    }

    function clocks(bytes32 gameId) external view returns (uint64 defenderLeft, uint64 challengerLeft) {
        Stored storage g = _games[gameId];
        (defenderLeft, challengerLeft) = (g.defenderClock, g.challengerClock);
        if (g.status != Status.Open) return (defenderLeft, challengerLeft);
        (,, uint64 left) = _clockOfMover(g);
        if (g.toMove == Side.Defender) defenderLeft = left;
        else challengerLeft = left;
    }

    function gameIdOf(uint64 batchIndex, uint8 kind, uint32 market, address challenger) public pure returns (bytes32) {
        return keccak256(abi.encode(batchIndex, kind, market, challenger));
    }

    function gameIdAt(uint64 batchIndex, uint8 kind, uint32 market, address challenger, uint32 version)
        public
        pure
        returns (bytes32)
    {
        if (version == 0) return gameIdOf(batchIndex, kind, market, challenger);
        return keccak256(abi.encode(batchIndex, kind, market, challenger, version));
    }

    function claimFallen(uint64 batchIndex, uint8 kind, uint32 market) external view returns (bool) {
        uint32 version;
        if (settlement.disputeGame() == address(this)) (, version,,) = settlement.claimState(batchIndex, kind, market);
        return _fallen[_claimKey(batchIndex, kind, market, version)];
    }

    function awaitedInput(bytes32 gameId) external view returns (bool awaiting, uint8 kind, uint32 market) {
        Stored storage g = _games[gameId];
        return (g.awaiting, g.inputKind, g.inputMarket);
    }

    function stepInput(bytes32 gameId, bytes calldata proof)
        external
        view
        returns (bool reads, uint8 kind, uint32 market, IRollupSettlement.ClaimStatus status)
    {
        (, reads, kind, market, status) = _stepInput(_open(gameId), proof);
    }

    function proverOf(uint8 kind) public view returns (IOneStepProver) {
        if (kind == ACCOUNTS) return _accountsProver;
        if (kind == MARKET) return _marketProver;
        return IOneStepProver(address(0));
    }

    // ---- internals ----

    /// What the settlement says of a claim when this game is its dispute game (wired): the claim's finality then waits
    /// for this game, so only a claim whose window has not passed, neither fallen nor void, is disputed, in its current
    /// version. A game deployed alone disputes version 0 of any claim of a batch not final.
    struct Admission {
        bool wired;
        IRollupSettlement.ClaimStatus status;
        uint32 version;
        uint64 finalAt;
    }

    function _admission(uint64 batchIndex, uint8 kind, uint32 market) private view returns (Admission memory a) {
        if (settlement.disputeGame() != address(this)) return a;
        a.wired = true;
        (a.status, a.version,, a.finalAt) = settlement.claimState(batchIndex, kind, market);
    }

    function _tellOpened(uint64 batchIndex, uint8 kind, uint32 market, Admission memory a) private {
        IRollupSettlement.ClaimStatus status = a.status;
        // Disputed: other games are open against it; it is still open to more until its window's end.
        if (status == IRollupSettlement.ClaimStatus.Disputed && block.number < a.finalAt) {
            status = IRollupSettlement.ClaimStatus.Pending;
        }
        if (status != IRollupSettlement.ClaimStatus.Pending) revert ClaimNotPending(batchIndex, kind, market, status);
        settlement.gameOpened(batchIndex, kind, market);
    }

    /// What the step `proof` proves reads (the prover's inputOf) and, if it reads a claim, that claim's status now.
    function _stepInput(Stored storage g, bytes calldata proof)
        private
        view
        returns (bytes32 pre, bool reads, uint8 kind, uint32 market, IRollupSettlement.ClaimStatus status)
    {
        (pre, reads, kind, market) = proverOf(g.kind).inputOf(g.market, proof);
        if (reads) status = settlement.claimStatus(g.batchIndex, kind, market);
    }

    function _requireInputFinal(Stored storage g, bytes calldata proof) private view {
        (, bool reads, uint8 kind, uint32 market, IRollupSettlement.ClaimStatus status) = _stepInput(g, proof);
        if (reads && status != IRollupSettlement.ClaimStatus.Final) revert InputNotFinal(kind, market, status);
    }

    /// A game still to be decided here: open, and its claim not fallen in another game.
    function _open(bytes32 gameId) private view returns (Stored storage g) {
        g = _games[gameId];
        _requireOpen(gameId, g);
        if (_fallen[_claimKey(g.batchIndex, g.kind, g.market, g.version)]) revert ClaimFallen(g.batchIndex, g.kind, g.market);
    }

    function _requireOpen(bytes32 gameId, Stored storage g) private view {
        if (g.status == Status.None) revert UnknownGame(gameId);
        if (g.status != Status.Open) revert GameNotOpen(gameId, g.status);
    }

    function _mover(Stored storage g) private view returns (address) {
        return g.toMove == Side.Defender ? g.defender : g.challenger;
    }

    /// The side to move's clock as of this block: whether it is used up (from block ranOutAt on) and what is left. A
    /// clock stopped for an input (only the defender's, at one step) keeps what it had.
    function _clockOfMover(Stored storage g) private view returns (bool out, uint64 ranOutAt, uint64 left) {
        uint64 budget = g.toMove == Side.Defender ? g.defenderClock : g.challengerClock;
        if (g.awaiting) return (false, type(uint64).max, budget);
        ranOutAt = g.turnSince + budget;
        out = block.number >= ranOutAt;
        left = out ? 0 : ranOutAt - uint64(block.number);
    }

    /// Charges the mover's clock with the blocks since its turn began and starts the other side's. A move at the
    /// block the clock runs out is too late: from then on timeout() is.
    function _chargeClock(Stored storage g) private {
        (bool out, uint64 ranOutAt, uint64 left) = _clockOfMover(g);
        if (out) revert ClockOut(ranOutAt);
        // left < budget <= clockBlocks < 2^32
        if (g.toMove == Side.Defender) g.defenderClock = uint32(left);
        else g.challengerClock = uint32(left);
        g.turnSince = uint64(block.number);
    }

    /// The winner gets its own bond back and the loser's less the burnt share; a challenger's win fells the claim.
    function _resolve(bytes32 gameId, Stored storage g, bool challengerWon) private {
        uint256 defenderPosted = g.defenderBonded ? defenderBond : 0;
        (address winner, uint256 own, uint256 lost) = challengerWon
            ? (g.challenger, challengerBond, defenderPosted)
            : (g.defender, defenderPosted, challengerBond);
        uint256 burnt = lost * burnPpm / PPM;
        g.status = challengerWon ? Status.ChallengerWon : Status.DefenderWon;
        if (challengerWon) {
            _fallen[_claimKey(g.batchIndex, g.kind, g.market, g.version)] = true;
            emit ClaimFell(g.batchIndex, g.kind, g.market, gameId);
        }
        _credit(winner, own + lost - burnt);
        emit Resolved(gameId, challengerWon);
        if (g.hooked) settlement.gameClosed(g.batchIndex, g.kind, g.market, challengerWon);
        _burn(burnt);
    }

    /// A claim as committed (version 0) keeps the key it had before re-posts existed.
    function _claimKey(uint64 batchIndex, uint8 kind, uint32 market, uint32 version) private pure returns (bytes32) {
        if (version == 0) return keccak256(abi.encode(batchIndex, kind, market));
        return keccak256(abi.encode(batchIndex, kind, market, version));
    }
}
