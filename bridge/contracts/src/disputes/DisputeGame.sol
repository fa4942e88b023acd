// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "../IRollupSettlement.sol";
import {IDisputeGame} from "./IDisputeGame.sol";
import {IOneStepProver} from "./IOneStepProver.sol";
import {BondLedger} from "../BondLedger.sol";

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

    IRollupSettlement public immutable settlement;
    IOneStepProver internal immutable _accountsProver;
    IOneStepProver internal immutable _marketProver;
    uint256 public immutable challengerBond;
    uint256 public immutable defenderBond;
    uint64 public immutable clockBlocks;
    uint32 public immutable burnPpm;

    mapping(bytes32 gameId => Game) private _games;
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
        gameId = gameIdOf(batchIndex, kind, market, msg.sender);
        if (_games[gameId].status != Status.None) revert GameExists(gameId);
        if (_fallen[_claimKey(batchIndex, kind, market)]) revert ClaimFallen(batchIndex, kind, market);
        if (!settlement.claimIncluded(batchIndex, kind, market, start, end, steps, claimSiblings)) revert UnknownClaim();
        if (settlement.isFinalized(batchIndex)) revert BatchFinal(batchIndex);

        Game storage g = _games[gameId];
        g.challenger = msg.sender;
        g.batchIndex = batchIndex;
        g.kind = kind;
        g.status = Status.Open;
        g.toMove = Side.Defender;
        g.defender = settlement.sequencer();
        g.market = market;
        g.hi = steps;
        g.defenderClock = clockBlocks;
        g.challengerClock = clockBlocks;
        g.turnSince = uint64(block.number);
        g.agreed = start;
        g.defenderHash = end;
        g.challengerHash = challengerEnd;
        emit GameStarted(gameId, batchIndex, kind, market, msg.sender, end, challengerEnd);
    }

    /// @notice The defender's state hash after step lo + (hi - lo) / 2. Its first bisection carries its bond.
    function bisect(bytes32 gameId, bytes32 mid) external payable {
        Game storage g = _open(gameId);
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
        Game storage g = _open(gameId);
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
        Game storage g = _open(gameId);
        if (g.hi - g.lo != 1) revert NotOneStep(g.lo, g.hi);
        // At one step left the defender is to move: its clock bounds the proof too.
        (bool out, uint64 ranOutAt,) = _clockOfMover(g);
        if (out) revert ClockOut(ranOutAt);
        (bytes32 pre, bytes32 post) = proverOf(g.kind).prove(settlement.batch(g.batchIndex), g.market, proof);
        if (pre != g.agreed) revert WrongPreState(g.agreed, pre);
        _resolve(gameId, g, post != g.defenderHash);
    }

    /// @notice The side to move has used its clock up: the other side wins.
    function timeout(bytes32 gameId) external {
        Game storage g = _open(gameId);
        (bool out,, uint64 left) = _clockOfMover(g);
        if (!out) revert ClockNotOut(left);
        _resolve(gameId, g, g.toMove == Side.Defender);
    }

    /// @notice Ends a game whose claim fell in another one, without a winner: each side gets back the bond it posted.
    function abandon(bytes32 gameId) external {
        Game storage g = _games[gameId];
        _requireOpen(gameId, g);
        if (!_fallen[_claimKey(g.batchIndex, g.kind, g.market)]) revert ClaimStands(g.batchIndex, g.kind, g.market);
        g.status = Status.Abandoned;
        _credit(g.challenger, challengerBond);
        if (g.defenderBonded) _credit(g.defender, defenderBond);
        emit Abandoned(gameId);
    }

    // ---- views ----

    function game(bytes32 gameId) external view returns (Game memory) {
        return _games[gameId];
    }

    function clocks(bytes32 gameId) external view returns (uint64 defenderLeft, uint64 challengerLeft) {
        Game storage g = _games[gameId];
        (defenderLeft, challengerLeft) = (g.defenderClock, g.challengerClock);
        if (g.status != Status.Open) return (defenderLeft, challengerLeft);
        (,, uint64 left) = _clockOfMover(g);
        if (g.toMove == Side.Defender) defenderLeft = left;
        else challengerLeft = left;
    }

    function gameIdOf(uint64 batchIndex, uint8 kind, uint32 market, address challenger) public pure returns (bytes32) {
        return keccak256(abi.encode(batchIndex, kind, market, challenger));
    }

    function claimFallen(uint64 batchIndex, uint8 kind, uint32 market) external view returns (bool) {
        return _fallen[_claimKey(batchIndex, kind, market)];
    }

    function proverOf(uint8 kind) public view returns (IOneStepProver) {
        if (kind == ACCOUNTS) return _accountsProver;
        if (kind == MARKET) return _marketProver;
        return IOneStepProver(address(0));
    }

    // ---- internals ----

    /// A game still to be decided here: open, and its claim not fallen in another game.
    function _open(bytes32 gameId) private view returns (Game storage g) {
        g = _games[gameId];
        _requireOpen(gameId, g);
        if (_fallen[_claimKey(g.batchIndex, g.kind, g.market)]) revert ClaimFallen(g.batchIndex, g.kind, g.market);
    }

    function _requireOpen(bytes32 gameId, Game storage g) private view {
        if (g.status == Status.None) revert UnknownGame(gameId);
        if (g.status != Status.Open) revert GameNotOpen(gameId, g.status);
    }

    function _mover(Game storage g) private view returns (address) {
        return g.toMove == Side.Defender ? g.defender : g.challenger;
    }

    /// The side to move's clock as of this block: whether it is used up (from block ranOutAt on) and what is left.
    function _clockOfMover(Game storage g) private view returns (bool out, uint64 ranOutAt, uint64 left) {
        uint64 budget = g.toMove == Side.Defender ? g.defenderClock : g.challengerClock;
        ranOutAt = g.turnSince + budget;
        out = block.number >= ranOutAt;
        left = out ? 0 : ranOutAt - uint64(block.number);
    }

    /// Charges the mover's clock with the blocks since its turn began and starts the other side's. A move at the
    /// block the clock runs out is too late: from then on timeout() is.
    function _chargeClock(Game storage g) private {
        (bool out, uint64 ranOutAt, uint64 left) = _clockOfMover(g);
        if (out) revert ClockOut(ranOutAt);
        if (g.toMove == Side.Defender) g.defenderClock = left;
        else g.challengerClock = left;
        g.turnSince = uint64(block.number);
    }

    /// The winner gets its own bond back and the loser's less the burnt share; a challenger's win fells the claim.
    function _resolve(bytes32 gameId, Game storage g, bool challengerWon) private {
        uint256 defenderPosted = g.defenderBonded ? defenderBond : 0;
        (address winner, uint256 own, uint256 lost) = challengerWon
            ? (g.challenger, challengerBond, defenderPosted)
            : (g.defender, defenderPosted, challengerBond);
        uint256 burnt = lost * burnPpm / PPM;
        g.status = challengerWon ? Status.ChallengerWon : Status.DefenderWon;
        if (challengerWon) {
            _fallen[_claimKey(g.batchIndex, g.kind, g.market)] = true;
            emit ClaimFell(g.batchIndex, g.kind, g.market, gameId);
        }
        _credit(winner, own + lost - burnt);
        emit Resolved(gameId, challengerWon);
        _burn(burnt);
    }

    function _claimKey(uint64 batchIndex, uint8 kind, uint32 market) private pure returns (bytes32) {
        return keccak256(abi.encode(batchIndex, kind, market));
    }
}
