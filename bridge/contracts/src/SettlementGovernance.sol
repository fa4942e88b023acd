// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "./IRollupSettlement.sol";

/// @notice Roles and the time lock: the operator pauses and resumes deposits at once, and proposes a
/// new configuration, sequencer or operator, which anyone may put into effect once `timelockDelayBlocks`
/// L1 blocks have passed (users get that long to leave), and the operator may cancel until then.
/// One pending proposal per kind; a new proposal replaces the pending one and restarts its delay.
abstract contract SettlementGovernance is IRollupSettlement {
    /// Windows above this would make block arithmetic meaningless (about 1600 years of 12 s blocks).
    uint64 internal constant MAX_WINDOW_BLOCKS = type(uint32).max;

    uint64 public immutable timelockDelayBlocks;

    address public sequencer;
    address public operator;
    bool public depositsPaused;
    Config internal _config;

    // A pending proposal is marked by its value: zero addresses and a zero window are never valid.
    Config private _nextConfig;
    uint64 private _nextConfigAt;
    PendingAddress private _nextSequencer;
    PendingAddress private _nextOperator;

    address public disputeGame;
    PendingAddress private _nextDisputeGame;
    /// Games replaced by a later one: their games still end, and gameClosed takes their word for it.
    mapping(address game => bool) internal _formerDisputeGame;

    /// A proposed role holder and the L1 block from which it may take effect (one storage slot).
    struct PendingAddress {
        address next;
        uint64 executableAt;
    }

    modifier onlySequencer() {
        if (msg.sender != sequencer) revert NotSequencer(msg.sender);
        _;
    }

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    constructor(address sequencer_, address operator_, Config memory config_, uint64 timelockDelayBlocks_) {
        if (sequencer_ == address(0) || operator_ == address(0)) revert ZeroAddress();
        if (timelockDelayBlocks_ > MAX_WINDOW_BLOCKS) revert InvalidConfig();
        _requireValid(config_);
        timelockDelayBlocks = timelockDelayBlocks_;
        sequencer = sequencer_;
        operator = operator_;
        _config = config_;
        emit SequencerChanged(address(0), sequencer_);
        emit OperatorChanged(address(0), operator_);
        emit ConfigChanged(config_.challengeWindowBlocks, config_.forcedInclusionBlocks, config_.escapeTimeoutBlocks);
    }

    function config() external view returns (Config memory) {
        return _config;
    }

    // ---- deposits pause: immediate, it only protects users ----

    function pauseDeposits() external onlyOperator {
        if (depositsPaused) return;
        depositsPaused = true;
        emit DepositsPaused();
    }

    function resumeDeposits() external onlyOperator {
        if (!depositsPaused) return;
        depositsPaused = false;
        emit DepositsResumed();
    }

    // ---- configuration ----

    function proposeConfig(Config calldata next) external onlyOperator {
        _requireValid(next);
        uint64 executableAt = _executableAt();
        _nextConfig = next;
        _nextConfigAt = executableAt;
        emit ConfigChangeProposed(next.challengeWindowBlocks, next.forcedInclusionBlocks, next.escapeTimeoutBlocks, executableAt);
    }

    function executeConfig() external {
        Config memory next = _nextConfig;
        _requireReady(next.challengeWindowBlocks != 0, _nextConfigAt);
        _config = next;
        delete _nextConfig;
        delete _nextConfigAt;
        emit ConfigChanged(next.challengeWindowBlocks, next.forcedInclusionBlocks, next.escapeTimeoutBlocks);
    }

    function cancelConfig() external onlyOperator {
        if (_nextConfig.challengeWindowBlocks == 0) revert NoPendingChange();
        delete _nextConfig;
        delete _nextConfigAt;
        emit ConfigChangeCancelled();
    }

    function pendingConfig() external view returns (Config memory next, uint64 executableAt) {
        return (_nextConfig, _nextConfigAt);
    }

    // ---- sequencer ----

    function proposeSequencer(address next) external onlyOperator {
        emit SequencerChangeProposed(next, _propose(_nextSequencer, next));
    }

    function executeSequencer() external {
        address next = _takeReady(_nextSequencer);
        emit SequencerChanged(sequencer, next);
        sequencer = next;
    }

    function cancelSequencer() external onlyOperator {
        emit SequencerChangeCancelled(_cancel(_nextSequencer));
    }

    function pendingSequencer() external view returns (address next, uint64 executableAt) {
        return (_nextSequencer.next, _nextSequencer.executableAt);
    }

    // ---- operator ----

    function proposeOperator(address next) external onlyOperator {
        emit OperatorChangeProposed(next, _propose(_nextOperator, next));
    }

    function executeOperator() external {
        address next = _takeReady(_nextOperator);
        emit OperatorChanged(operator, next);
        operator = next;
    }

    function cancelOperator() external onlyOperator {
        emit OperatorChangeCancelled(_cancel(_nextOperator));
    }

    function pendingOperator() external view returns (address next, uint64 executableAt) {
        return (_nextOperator.next, _nextOperator.executableAt);
    }

    // ---- dispute game: once set it can be replaced, never removed ----

    function proposeDisputeGame(address next) external onlyOperator {
        emit DisputeGameChangeProposed(next, _propose(_nextDisputeGame, next));
    }

    function executeDisputeGame() external {
        address next = _takeReady(_nextDisputeGame);
        address previous = disputeGame;
        if (previous != address(0) && previous != next) _formerDisputeGame[previous] = true;
        emit DisputeGameChanged(previous, next);
        disputeGame = next;
        _disputeGameSet();
    }

    function cancelDisputeGame() external onlyOperator {
        emit DisputeGameChangeCancelled(_cancel(_nextDisputeGame));
    }

    function pendingDisputeGame() external view returns (address next, uint64 executableAt) {
        return (_nextDisputeGame.next, _nextDisputeGame.executableAt);
    }

    /// Called once a dispute game is in effect (the settlement keeps a flag beside the words every check reads).
    function _disputeGameSet() internal virtual;

    // ---- helpers ----

    function _propose(PendingAddress storage pending, address next) private returns (uint64 executableAt) {
        if (next == address(0)) revert ZeroAddress();
        executableAt = _executableAt();
        (pending.next, pending.executableAt) = (next, executableAt);
    }

    /// The pending address once its delay has passed; the proposal is consumed.
    function _takeReady(PendingAddress storage pending) private returns (address next) {
        next = pending.next;
        _requireReady(next != address(0), pending.executableAt);
        delete pending.next;
        delete pending.executableAt;
    }

    function _cancel(PendingAddress storage pending) private returns (address next) {
        next = pending.next;
        if (next == address(0)) revert NoPendingChange();
        delete pending.next;
        delete pending.executableAt;
    }

    function _executableAt() private view returns (uint64) {
        return uint64(block.number) + timelockDelayBlocks;
    }

    function _requireReady(bool pending, uint64 executableAt) private view {
        if (!pending) revert NoPendingChange();
        if (block.number < executableAt) revert TimelockNotElapsed(executableAt);
    }

    function _requireValid(Config memory c) private pure {
        if (
            c.challengeWindowBlocks == 0 || c.forcedInclusionBlocks == 0 || c.escapeTimeoutBlocks == 0
                || c.challengeWindowBlocks > MAX_WINDOW_BLOCKS || c.forcedInclusionBlocks > MAX_WINDOW_BLOCKS
                || c.escapeTimeoutBlocks > MAX_WINDOW_BLOCKS
        ) revert InvalidConfig();
    }
}
