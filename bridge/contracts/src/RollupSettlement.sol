// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IERC20} from "./IERC20.sol";
import {ClaimsTree} from "./ClaimsTree.sol";
import {IRollupSettlement} from "./IRollupSettlement.sol";
import {SettlementGovernance} from "./SettlementGovernance.sol";
import {SafeTransfer} from "./SafeTransfer.sol";
import {SparseMerkleProof} from "./SparseMerkleProof.sol";
import {EscapeHatch} from "./EscapeHatch.sol";

/// @notice The rollup's L1 settlement: holds the collateral, queues deposits, records batch commitments,
/// pays withdrawals by Merkle proof once a commitment is final, and lets users leave by the last final
/// state if the sequencer stops committing. Rules: docs/contract.md.
contract RollupSettlement is SettlementGovernance {
    using SafeTransfer for IERC20;

    /// Every amount must fit the L2's i64.
    uint64 internal constant MAX_AMOUNT = uint64(type(int64).max);

    IERC20 public immutable token;
    bytes32 public immutable genesisStateRoot;
    /// The escape hatch's payouts (docs/contract.md, "Escape hatch"): escape and reclaimDeposit, deployed by this
    /// contract's constructor, which pays them through payEscape.
    EscapeHatch public immutable escapeHatch;

    Deposit[] private _deposits;
    Batch[] private _batches;

    // One storage slot: what every commitment reads and writes.
    uint64 public nextL2Block = 1;
    uint64 public depositCursor;
    uint64 public lastCommitAt;
    uint32 private _pendingParts;
    bool public frozen;
    // A dispute game has been set (disputeGame() != 0): claims' finality counts. Beside frozen, which the same reads load.
    bool private _hasGame;

    bytes32 private _pendingAccumulator;

    // Set once by freeze().
    bytes32 public escapeStateRoot;
    uint64 private _frozenFinalCount;
    uint64 public escapeDepositCursor;

    mapping(bytes32 key => bool) public claimed;

    /// The accounts domain's id, keccak256(uint8 0 ‖ uint32 0): its claims hold the batch's withdrawals.
    bytes32 internal constant ACCOUNTS_DOMAIN = keccak256(abi.encodePacked(uint8(0), uint32(0)));

    /// A claim's dispute state (one slot): the games open against it, its version (re-posts), whether this version
    /// fell, and its neighbours in its domain's list of batches with an open game (batch index + 1; 0 none).
    struct ClaimState {
        uint24 openGames;
        uint24 version;
        bool fallen;
        uint64 prevOpen;
        uint64 nextOpen;
    }

    /// A domain's dispute state (one slot): the first and last of its batches with an open game (index + 1, 0 none),
    /// its earliest fallen claim not re-posted (index + 1, 0 none) and the end of its last re-post's window (0 none).
    struct DomainState {
        uint64 firstOpen;
        uint64 lastOpen;
        uint64 voidFrom;
        uint64 repostFinalAt;
    }

    mapping(bytes32 domain => mapping(uint64 batchIndex => ClaimState)) private _claimStates; // through _claim
    mapping(bytes32 domain => DomainState) private _domains;
    /// The first batch the domain's last re-post window (repostFinalAt) holds.
    mapping(bytes32 domain => uint64) private _repostFrom;
    /// keccak256(start ‖ end ‖ u64 steps) of a re-posted claim, which stands for the batch's own leaf.
    mapping(bytes32 domain => mapping(uint64 batchIndex => bytes32)) private _reposted;

    modifier notFrozen() {
        if (frozen) revert ContractFrozen();
        _;
    }

    constructor(
        address token_,
        address sequencer_,
        address operator_,
        Config memory config_,
        uint64 timelockDelayBlocks_,
        bytes32 genesisStateRoot_
    ) SettlementGovernance(sequencer_, operator_, config_, timelockDelayBlocks_) {
        if (token_ == address(0)) revert ZeroAddress();
        token = IERC20(token_);
        genesisStateRoot = genesisStateRoot_;
        escapeHatch = new EscapeHatch();
        // The escape timeout counts from deployment until the first commitment.
        lastCommitAt = uint64(block.number);
    }

    // ---- deposits ----

    function deposit(uint64 amount, address l2Account) external notFrozen returns (uint64 index) {
        if (depositsPaused) revert DepositsArePaused();
        if (amount == 0) revert ZeroAmount();
        if (amount > MAX_AMOUNT) revert AmountTooLarge(amount);
        if (l2Account == address(0)) revert ZeroAddress();
        index = uint64(_deposits.length);
        _deposits.push(Deposit(l2Account, amount, uint64(block.number)));
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit DepositQueued(index, l2Account, msg.sender, amount, uint64(block.number));
    }

    function depositCount() public view returns (uint64) {
        return uint64(_deposits.length);
    }

    function queuedDeposit(uint64 index) external view returns (Deposit memory) {
        if (index >= _deposits.length) revert UnknownDeposit(index, depositCount());
        return _deposits[index];
    }

    // ---- batches ----

    function postBatchData(uint64 batchIndex, uint32 part, bytes calldata data) external onlySequencer notFrozen {
        uint64 expectedBatch = nextBatchIndex();
        if (batchIndex != expectedBatch) revert WrongBatchIndex(expectedBatch, batchIndex);
        uint32 expectedPart = _pendingParts;
        if (part != expectedPart) revert WrongPart(expectedPart, part);
        bytes32 partHash = keccak256(data);
        bytes32 accumulator = keccak256(abi.encodePacked(_pendingAccumulator, partHash));
        _pendingAccumulator = accumulator;
        _pendingParts = expectedPart + 1;
        emit BatchDataPosted(batchIndex, part, partHash, accumulator);
    }

    function discardBatchData() external onlySequencer notFrozen {
        uint32 parts = _pendingParts;
        _pendingParts = 0;
        _pendingAccumulator = bytes32(0);
        emit BatchDataDiscarded(nextBatchIndex(), parts);
    }

    function commitBatch(Commitment calldata c, DomainClaim[] calldata claims) external onlySequencer notFrozen {
        _checkChaining(c);
        _checkTransactions(c);
        // lastBlock >= firstBlock, so the tree has a leaf and its root is a keccak output: zero is a root left out.
        if (c.blocksRoot == bytes32(0)) revert ZeroBlocksRoot();
        _checkClaims(c.claimsRoot, claims);
        _checkDeposits(c.depositCursor);
        _record(c);
    }

    /// The batch recorded and announced, its data consumed: what a commitment that passed every check does.
    function _record(Commitment calldata c) private {
        uint64 now_ = uint64(block.number);
        uint64 finalAt = now_ + _config.challengeWindowBlocks;
        // A later window change never makes a batch final before the one it builds on.
        if (_batches.length > 0 && _batches[_batches.length - 1].finalAt > finalAt) {
            finalAt = _batches[_batches.length - 1].finalAt;
        }
        bytes32 commitmentHash = keccak256(abi.encode(c));
        _batches.push(
            Batch(
                c.newStateRoot,
                c.withdrawalsRoot,
                commitmentHash,
                now_,
                finalAt,
                c.lastBlock,
                c.depositCursor,
                c.txRoot,
                c.firstSequence,
                c.txCount,
                c.blocksRoot,
                c.claimsRoot
            )
        );
        nextL2Block = c.lastBlock + 1;
        depositCursor = c.depositCursor;
        lastCommitAt = now_;
        _pendingParts = 0;
        _pendingAccumulator = bytes32(0);
        emit BatchCommitted(
            c.batchIndex,
            commitmentHash,
            c.newStateRoot,
            c.withdrawalsRoot,
            c.depositCursor,
            c.firstBlock,
            c.lastBlock,
            c.firstSequence,
            c.txCount,
            c.txRoot,
            c.blocksRoot,
            c.claimsRoot
        );
    }

    function _checkChaining(Commitment calldata c) private view {
        uint64 expectedIndex = nextBatchIndex();
        if (c.batchIndex != expectedIndex) revert WrongBatchIndex(expectedIndex, c.batchIndex);
        if (c.firstBlock != nextL2Block) revert WrongFirstBlock(nextL2Block, c.firstBlock);
        if (c.lastBlock < c.firstBlock) revert BadBlockRange(c.firstBlock, c.lastBlock);
        if (_pendingParts == 0) revert NoBatchData();
        if (c.batchDataHash != _pendingAccumulator) revert WrongBatchDataHash(_pendingAccumulator, c.batchDataHash);
        bytes32 prevRoot = lastStateRoot();
        if (c.prevStateRoot != prevRoot) revert WrongPrevStateRoot(prevRoot, c.prevStateRoot);
    }

    /// The contract cannot see that txRoot is the tree of the posted transactions (validators check that); it
    /// keeps the sequence ranges contiguous and refuses a root that cannot be the tree of txCount leaves: a
    /// non-empty tree's root is a keccak output, never zero, and an empty tree's is zero.
    function _checkTransactions(Commitment calldata c) private view {
        uint64 expected = nextSequence();
        if (c.firstSequence != expected) revert WrongFirstSequence(expected, c.firstSequence);
        if ((c.txRoot == bytes32(0)) != (c.txCount == 0)) revert TxRootAndCountDisagree(c.txCount, c.txRoot);
        // Recorded, such a range would make nextSequence() overflow and every later commitment revert.
        if (c.txCount > type(uint64).max - c.firstSequence) revert SequenceOverflow(c.firstSequence, c.txCount);
    }

    /// Deposits are queued in L1 block order, so only the first one left unconsumed can be overdue.
    /// The claims root is the tree of the claims sent with it (the accounts domain's among them): each is then in the
    /// calldata for a challenger to name, and none can be withheld.
    function _checkClaims(bytes32 claimsRoot, DomainClaim[] calldata claims) private pure {
        bytes32 built = ClaimsTree.root(claims);
        if (built != claimsRoot) revert ClaimsNotTheRoot(built, claimsRoot);
    }

    function _checkDeposits(uint64 cursor) private view {
        if (cursor < depositCursor) revert DepositCursorDecreased(depositCursor, cursor);
        uint64 count = depositCount();
        if (cursor > count) revert DepositCursorBeyondQueue(count, cursor);
        if (cursor < count && uint256(_deposits[cursor].l1Block) + _config.forcedInclusionBlocks <= block.number) {
            revert OverdueDeposit(cursor);
        }
    }

    function pendingBatchData() external view returns (uint32 parts, bytes32 accumulator) {
        return (_pendingParts, _pendingAccumulator);
    }

    function nextBatchIndex() public view returns (uint64) {
        return uint64(_batches.length);
    }

    /// @notice The sequence number the next batch's first transaction must have: the end of the last batch's range.
    /// Derived rather than stored, so a commitment writes no extra global slot.
    function nextSequence() public view returns (uint64) {
        if (_batches.length == 0) return 0;
        Batch storage last = _batches[_batches.length - 1];
        return last.firstSequence + last.txCount;
    }

    function lastStateRoot() public view returns (bytes32) {
        return _batches.length == 0 ? genesisStateRoot : _batches[_batches.length - 1].stateRoot;
    }

    function batch(uint64 batchIndex) external view returns (Batch memory) {
        if (batchIndex >= _batches.length) revert UnknownBatch(batchIndex);
        return _batches[batchIndex];
    }

    /// @notice Final: the batch's window has passed and, once a dispute game is set, its accounts claim is Final.
    function isFinalized(uint64 batchIndex) public view returns (bool) {
        if (batchIndex >= _batches.length) return false;
        if (frozen) return batchIndex < _frozenFinalCount;
        if (_batches[batchIndex].finalAt > block.number) return false;
        // Its accounts claim's status is Final exactly when nothing holds back the batches up to it.
        return !_hasGame || _accountsFinalCount(uint256(batchIndex) + 1) > batchIndex;
    }

    /// @notice How many batches are final: final batches are a prefix, since finalAt never decreases and an accounts
    /// claim disputed, fallen, void or under a re-post's window holds back every later batch too.
    function finalBatchCount() public view returns (uint64) {
        if (frozen) return _frozenFinalCount;
        uint256 low = 0;
        uint256 high = _batches.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (_batches[mid].finalAt <= block.number) low = mid + 1;
            else high = mid;
        }
        if (_hasGame) low = _accountsFinalCount(low);
        return uint64(low);
    }

    /// The first `count` batches are past their windows: how many of them have their accounts claims Final. The first
    /// batch with an open game, the earliest fallen claim and a re-post's window each hold back every batch from
    /// theirs on (claimStatus: Disputed or Held, Fallen or Void, Pending).
    function _accountsFinalCount(uint256 count) private view returns (uint256) {
        DomainState storage d = _domains[ACCOUNTS_DOMAIN];
        (uint64 first, uint64 void_, uint64 repostFinalAt) = (d.firstOpen, d.voidFrom, d.repostFinalAt);
        if (first != 0 && first - 1 < count) count = first - 1;
        if (void_ != 0 && void_ - 1 < count) count = void_ - 1;
        if (repostFinalAt > block.number) {
            uint64 from = _repostFrom[ACCOUNTS_DOMAIN];
            if (from < count) count = from;
        }
        return count;
    }

    /// @notice Whether batch `batchIndex` holds the transaction with hash `txHash` at sequence `sequence`:
    /// the sequence is in the batch's range and `siblings` (root down, docs/state.md) lead from its leaf to the
    /// batch's txRoot. False for an unknown batch.
    function transactionIncluded(uint64 batchIndex, uint64 sequence, bytes32 txHash, bytes32[] calldata siblings)
        external
        view
        returns (bool)
    {
        if (batchIndex >= _batches.length) return false;
        Batch storage b = _batches[batchIndex];
        if (sequence < b.firstSequence || sequence - b.firstSequence >= b.txCount) return false;
        return SparseMerkleProof.root(transactionKey(sequence), txHash, siblings) == b.txRoot;
    }

    function transactionKey(uint64 sequence) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(sequence));
    }

    /// @notice Whether batch `batchIndex` holds L2 block `l2Block` with this header: the block is in the batch's
    /// range and `siblings` (root down, docs/state.md) lead from its leaf, key keccak256(uint64 l2Block), value hash
    /// keccak256(uint64 timestamp ‖ uint64 firstSequence ‖ uint32 txCount), to the batch's blocksRoot. False for an
    /// unknown batch.
    function blockIncluded(
        uint64 batchIndex,
        uint64 l2Block,
        uint64 timestamp,
        uint64 firstSequence,
        uint32 txCount,
        bytes32[] calldata siblings
    ) external view returns (bool) {
        if (batchIndex >= _batches.length) return false;
        Batch storage b = _batches[batchIndex];
        // The range starts where the previous batch's ended, as commitBatch required: no slot of its own.
        uint64 firstBlock = batchIndex == 0 ? 1 : _batches[batchIndex - 1].lastBlock + 1;
        if (l2Block < firstBlock || l2Block > b.lastBlock) return false;
        bytes32 header = keccak256(abi.encodePacked(timestamp, firstSequence, txCount));
        return SparseMerkleProof.root(keccak256(abi.encodePacked(l2Block)), header, siblings) == b.blocksRoot;
    }

    /// @notice Whether batch `batchIndex` claims domain (`kind`, `market`) from step state `start` to `end` in `steps`
    /// steps (docs/steps.md, "Claims"): `siblings` (root down) lead from its leaf, key keccak256(uint8 kind ‖ uint32
    /// market), value hash keccak256(start ‖ end ‖ uint64 steps), to the batch's claimsRoot. False for an unknown batch.
    function claimIncluded(
        uint64 batchIndex,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata siblings
    ) external view returns (bool) {
        if (batchIndex >= _batches.length) return false;
        return _claimIncluded(batchIndex, _domainKey(kind, market), start, end, steps, siblings);
    }

    /// A re-posted claim stands for the batch's leaf of its domain: it is the one included (with no siblings), and the
    /// leaf in claimsRoot no longer is.
    function _claimIncluded(
        uint64 batchIndex,
        bytes32 domain,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata siblings
    ) private view returns (bool) {
        bytes32 claim = _claimHash(start, end, steps);
        // No re-post without a game: the flag's slot is read by isFinalized anyway, the re-post's only once there is one.
        if (_hasGame) {
            bytes32 reposted = _reposted[domain][batchIndex];
            if (reposted != bytes32(0)) return siblings.length == 0 && reposted == claim;
        }
        return SparseMerkleProof.root(domain, claim, siblings) == _batches[batchIndex].claimsRoot;
    }

    /// keccak256(start ‖ end ‖ u64 steps), a claim's leaf value, hashed in free memory left where it is (as _domainKey).
    function _claimHash(bytes32 start, bytes32 end, uint64 steps) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, start)
            mstore(add(p, 0x20), end)
            mstore(add(p, 0x40), shl(192, steps))
            h := keccak256(p, 72)
        }
    }

    /// keccak256(uint8 kind ‖ uint32 market), hashed in scratch space: written with abi.encodePacked it shares an
    /// encoder with the claims tree's leaves, which then costs commitBatch a jump per claim.
    function _domainKey(uint8 kind, uint32 market) private pure returns (bytes32 key) {
        assembly ("memory-safe") {
            mstore(0x00, shl(216, or(shl(32, kind), market)))
            key := keccak256(0x00, 5)
        }
    }

    // ---- finality of claims (docs/disputes.md, "Finality") ----

    function claimStatus(uint64 batchIndex, uint8 kind, uint32 market) external view returns (ClaimStatus) {
        return _status(batchIndex, _domainKey(kind, market));
    }

    function claimState(uint64 batchIndex, uint8 kind, uint32 market)
        external
        view
        returns (ClaimStatus status, uint32 version, uint32 openGames, uint64 finalAt)
    {
        bytes32 domain = _domainKey(kind, market);
        status = _status(batchIndex, domain);
        if (status == ClaimStatus.None) return (status, 0, 0, 0);
        ClaimState storage c = _claim(domain, batchIndex);
        (version, openGames) = (c.version, c.openGames);
        finalAt = _finalAt(batchIndex, domain, _domains[domain].repostFinalAt);
    }

    /// Statuses in the order they are decided: a fallen claim and every later one of its domain until re-posted are
    /// out; then an open game; then the window (the batch's, or the domain's last re-post's for the batches it
    /// holds); then an earlier claim of the domain with an open game. Final never turns back: a game opens only before
    /// the window's end, which never comes earlier for a later batch of the domain, so no game and no fall can come
    /// at or before a Final claim.
    function _status(uint64 batchIndex, bytes32 domain) private view returns (ClaimStatus) {
        if (batchIndex >= _batches.length) return ClaimStatus.None;
        ClaimState storage c = _claim(domain, batchIndex);
        if (c.fallen) return ClaimStatus.Fallen;
        DomainState storage d = _domains[domain];
        uint64 void_ = d.voidFrom;
        if (void_ != 0 && batchIndex >= void_ - 1) return ClaimStatus.Void;
        if (c.openGames != 0) return ClaimStatus.Disputed;
        if (block.number < _finalAt(batchIndex, domain, d.repostFinalAt)) return ClaimStatus.Pending;
        uint64 first = d.firstOpen;
        if (first != 0 && first - 1 < batchIndex) return ClaimStatus.Held;
        return ClaimStatus.Final;
    }

    /// The L1 block from which the claim's window has passed: its batch's, or later under the domain's last re-post.
    function _finalAt(uint64 batchIndex, bytes32 domain, uint64 repostFinalAt) private view returns (uint64 finalAt) {
        finalAt = _batches[batchIndex].finalAt;
        if (repostFinalAt > finalAt && batchIndex >= _repostFrom[domain]) finalAt = repostFinalAt;
    }

    // ---- the dispute game's hooks ----

    /// A game may open against a claim whose window has not passed and that is neither fallen nor void.
    function gameOpened(uint64 batchIndex, uint8 kind, uint32 market) external returns (uint32 version) {
        if (msg.sender != disputeGame) revert NotDisputeGame(msg.sender);
        bytes32 domain = _domainKey(kind, market);
        ClaimStatus status = _status(batchIndex, domain);
        // Disputed: the claim's other games are open, its window perhaps not passed.
        if (status == ClaimStatus.Disputed && block.number < _finalAt(batchIndex, domain, _domains[domain].repostFinalAt)) {
            status = ClaimStatus.Pending;
        }
        if (status != ClaimStatus.Pending) revert ClaimNotPending(batchIndex, kind, market, status);
        ClaimState storage c = _claim(domain, batchIndex);
        uint24 open = c.openGames;
        if (open == 0) _insertOpen(domain, batchIndex);
        c.openGames = open + 1;
        return c.version;
    }

    /// A game ended on the claim (resolved either way, or abandoned). A former dispute game's games still end here.
    function gameClosed(uint64 batchIndex, uint8 kind, uint32 market, bool claimFell) external {
        if (msg.sender != disputeGame && !_formerDisputeGame[msg.sender]) revert NotDisputeGame(msg.sender);
        bytes32 domain = _domainKey(kind, market);
        ClaimState storage c = _claim(domain, batchIndex);
        // The game closes only what it opened: an underflow here is a broken game, not a refusal.
        uint24 open = c.openGames;
        c.openGames = open - 1;
        if (open == 1) _removeOpen(domain, batchIndex);
        if (claimFell && !c.fallen) _fall(domain, batchIndex, kind, market, c);
    }

    function _fall(bytes32 domain, uint64 batchIndex, uint8 kind, uint32 market, ClaimState storage c) private {
        c.fallen = true;
        DomainState storage d = _domains[domain];
        uint64 void_ = d.voidFrom;
        if (void_ == 0 || batchIndex < void_ - 1) {
            void_ = batchIndex + 1;
            d.voidFrom = void_;
        }
        emit DomainVoided(kind, market, batchIndex, void_ - 1);
    }

    /// Puts the batch in the domain's list of batches with an open game, kept in batch order: searched from the last,
    /// where a new game's batch (its window not passed) usually goes. Nodes are batch index + 1, 0 the list's ends.
    function _insertOpen(bytes32 domain, uint64 batchIndex) private {
        uint64 node = batchIndex + 1;
        uint64 prev = _domains[domain].lastOpen;
        while (prev > node) prev = _claim(domain, prev - 1).prevOpen;
        uint64 next = prev == 0 ? _domains[domain].firstOpen : _claim(domain, prev - 1).nextOpen;
        _link(domain, prev, node);
        _link(domain, node, next);
    }

    function _removeOpen(bytes32 domain, uint64 batchIndex) private {
        ClaimState storage c = _claim(domain, batchIndex);
        _link(domain, c.prevOpen, c.nextOpen);
        (c.prevOpen, c.nextOpen) = (0, 0);
    }

    /// Makes `next` follow `prev` in the domain's list.
    function _link(bytes32 domain, uint64 prev, uint64 next) private {
        if (prev == 0) _domains[domain].firstOpen = next;
        else _claim(domain, prev - 1).nextOpen = next;
        if (next == 0) _domains[domain].lastOpen = prev;
        else _claim(domain, next - 1).prevOpen = prev;
    }

    function _claim(bytes32 domain, uint64 batchIndex) private view returns (ClaimState storage) {
        return _claimStates[domain][batchIndex];
    }

    // ---- re-posting a void domain ----

    function repostClaims(
        uint8 kind,
        uint32 market,
        uint64 fromBatch,
        ReplacedClaim calldata replaced,
        RepostedClaim[] calldata claims
    ) external onlySequencer notFrozen {
        bytes32 domain = _domainKey(kind, market);
        _checkRepost(domain, kind, market, fromBatch, claims.length);
        // Every start is held by proveStartBroken (to the claim before, or for batch 0 to the empty genesis), re-posts
        // included, so a re-post may mend a broken one; only a genesis that is not the empty state has a batch 0 start
        // L1 cannot check, and there the re-post keeps the fallen claim's.
        if (fromBatch == 0 && genesisStateRoot != bytes32(0)) {
            if (!_claimIncluded(0, domain, claims[0].start, replaced.end, replaced.steps, replaced.siblings)) {
                revert ReplacedClaimNotProven();
            }
        }
        uint64 finalAt = _repostWindow(domain, fromBatch);
        mapping(uint64 => bytes32) storage reposted = _reposted[domain];
        // A batch's claim starts from the domain's end in the one before with the batch's own fields reset (block,
        // outbox, receipts: docs/steps.md), so the claims do not chain by their hashes; as at commitBatch, their starts
        // are a game's to take as agreed.
        for (uint256 i = 0; i < claims.length; i++) {
            RepostedClaim calldata claim = claims[i];
            uint64 b = fromBatch + uint64(i);
            // No game is open against it (checked): a new version, not fallen, outside the list.
            ClaimState storage c = _claim(domain, b);
            c.version += 1;
            c.fallen = false;
            reposted[b] = _claimHash(claim.start, claim.end, claim.steps);
        }
        emit ClaimsReposted(kind, market, fromBatch, uint64(claims.length), finalAt);
    }

    function _checkRepost(bytes32 domain, uint8 kind, uint32 market, uint64 fromBatch, uint256 count) private view {
        DomainState storage d = _domains[domain];
        uint64 void_ = d.voidFrom;
        if (void_ == 0) revert DomainNotVoid(kind, market);
        if (fromBatch != void_ - 1) revert WrongRepostFrom(void_ - 1, fromBatch);
        uint64 last = d.lastOpen;
        if (last != 0 && last - 1 >= fromBatch) revert GamesStillOpen(kind, market, last - 1);
        // fromBatch is a committed batch's (one of its claims fell), so at least one claim is expected.
        uint64 expected = nextBatchIndex() - fromBatch;
        if (count != expected) revert WrongRepostCount(expected, uint64(count));
    }

    /// A fresh window from this block, over the batches from fromBatch on (those committed later too: a claim's window
    /// never ends before an earlier one's of its domain). While the last re-post's window is still running, its batches
    /// stay under the new one, which never ends earlier: none of them is final yet.
    function _repostWindow(bytes32 domain, uint64 fromBatch) private returns (uint64 finalAt) {
        DomainState storage d = _domains[domain];
        finalAt = uint64(block.number) + _config.challengeWindowBlocks;
        uint64 previous = d.repostFinalAt;
        if (previous > block.number) {
            if (previous > finalAt) finalAt = previous;
            uint64 from = _repostFrom[domain];
            if (from < fromBatch) fromBatch = from;
        }
        d.repostFinalAt = finalAt;
        d.voidFrom = 0;
        _repostFrom[domain] = fromBatch;
    }

    // ---- withdrawals ----

    function claimWithdrawal(
        uint64 batchIndex,
        uint64 l2Block,
        uint32 txIndex,
        address account,
        uint64 amount,
        HeldDraw[] calldata drawn,
        bytes32[] calldata siblings,
        AccountsEnd calldata accounts
    ) external {
        if (batchIndex >= _batches.length) revert UnknownBatch(batchIndex);
        if (!isFinalized(batchIndex)) revert BatchNotFinal(batchIndex);
        if (amount > MAX_AMOUNT) revert AmountTooLarge(amount);
        bytes32 key = withdrawalKey(l2Block, txIndex);
        if (claimed[key]) revert AlreadyClaimed(key);
        _checkWithdrawalProof(batchIndex, key, _withdrawalHash(account, amount, drawn), siblings, accounts);
        _checkHeldCovered(drawn);
        claimed[key] = true;
        token.safeTransfer(account, amount);
        emit WithdrawalClaimed(key, account, amount, batchIndex);
    }

    /// The root is the accounts claim's, as it stands (re-posted after a fall), not the commitment's own field: a game
    /// can dispute the claim, never a root beside it.
    function _checkWithdrawalProof(
        uint64 batchIndex,
        bytes32 key,
        bytes32 valueHash,
        bytes32[] calldata siblings,
        AccountsEnd calldata accounts
    ) private view {
        bytes32 end = keccak256(abi.encodePacked(accounts.end));
        if (!_claimIncluded(batchIndex, _domainKey(0, 0), accounts.start, end, accounts.steps, accounts.siblings)) {
            revert AccountsEndNotClaimed(batchIndex);
        }
        if (SparseMerkleProof.root(key, valueHash, siblings) != accounts.end[5]) revert InvalidWithdrawalProof(key);
    }

    /// The leaf's value hash: keccak256(account ‖ amount i64 ‖ [u8 k ‖ k × (u32 market ‖ u64 block)]), the draws only
    /// if it drew on held credits; a non-negative i64 is the same 8 bytes as its u64.
    function _withdrawalHash(address account, uint64 amount, HeldDraw[] calldata drawn) private pure returns (bytes32) {
        bytes memory leaf = abi.encodePacked(account, amount);
        if (drawn.length != 0) leaf = abi.encodePacked(leaf, uint8(drawn.length));
        for (uint256 i = 0; i < drawn.length; i++) {
            leaf = abi.encodePacked(leaf, drawn[i].market, drawn[i].l2Block);
        }
        return keccak256(leaf);
    }

    /// Rule 5 (docs/disputes.md): funds held for market m from its block b are paid once m's claim, re-posted or not, is
    /// Final in a batch holding b or later (a Final claim has every earlier one of its domain Final). A re-post does not
    /// make the credit doubtful: the accounts steps that read m's outbox are proven only against m's Final claim.
    function _checkHeldCovered(HeldDraw[] calldata drawn) private view {
        for (uint256 i = 0; i < drawn.length; i++) {
            HeldDraw calldata d = drawn[i];
            bytes32 domain = _domainKey(1, d.market);
            ClaimStatus status = _status(d.batchIndex, domain);
            if (status != ClaimStatus.Final) revert HeldMarketNotFinal(d.market, d.batchIndex, status);
            if (d.l2Block > _batches[d.batchIndex].lastBlock) revert HeldBlockAfterBatch(d.l2Block, d.batchIndex);
        }
    }

    function withdrawalKey(uint64 l2Block, uint32 txIndex) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(l2Block, txIndex));
    }

    function _disputeGameSet() internal override {
        _hasGame = true;
    }

    // ---- escape hatch ----

    function freezableAt() public view returns (uint64) {
        return lastCommitAt + _config.escapeTimeoutBlocks + 1;
    }

    function freeze() external notFrozen {
        uint64 earliest = freezableAt();
        if (block.number < earliest) revert FreezeTooEarly(earliest);
        uint64 finalCount = finalBatchCount();
        frozen = true;
        _frozenFinalCount = finalCount;
        bytes32 root = genesisStateRoot;
        if (finalCount > 0) {
            Batch storage last = _batches[finalCount - 1];
            root = last.stateRoot;
            escapeDepositCursor = last.depositCursor;
        }
        escapeStateRoot = root;
        emit Frozen(finalCount == 0 ? type(uint64).max : finalCount - 1, root);
    }

    /// @notice What the escape hatch pays out (escape, reclaimDeposit), capped at what this contract holds.
    function payEscape(address to, uint256 owed) external returns (uint256 paid) {
        if (msg.sender != address(escapeHatch)) revert NotEscapeHatch(msg.sender);
        return _payCapped(to, owed);
    }

    /// Negative-equity positions count as zero, so the claims can add up to more than the contract
    /// holds: whoever comes first is paid in full, the rest get what is left.
    function _payCapped(address to, uint256 owed) private returns (uint256 paid) {
        uint256 balance = token.balanceOf(address(this));
        paid = owed < balance ? owed : balance;
        if (paid > 0) token.safeTransfer(to, paid);
    }
}
