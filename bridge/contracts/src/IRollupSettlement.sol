// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IERC20} from "./IERC20.sol";

/// @notice The settlement contract's whole external interface: what the L2 node, validators, indexers
/// and wallets bind to. Rules: docs/contract.md. All block numbers and windows are L1 blocks.
interface IRollupSettlement {
    // ---- types ----

    struct Config {
        uint64 challengeWindowBlocks; // a commitment is final this many L1 blocks after it was recorded
        uint64 forcedInclusionBlocks; // a queued deposit must be consumed within this many L1 blocks
        uint64 escapeTimeoutBlocks; // no commitment for longer than this: anyone may freeze
    }

    struct Commitment {
        uint64 batchIndex;
        uint64 firstBlock;
        uint64 lastBlock;
        bytes32 batchDataHash;
        bytes32 prevStateRoot;
        bytes32 newStateRoot;
        bytes32 marketRootsRoot;
        bytes32 withdrawalsRoot;
        uint64 depositCursor;
        uint64 firstSequence; // the sequence number of the batch's first transaction: nextSequence()
        uint64 txCount; // transactions in the batch's blocks, deposits included
        bytes32 txRoot; // their tree by sequence number (docs/batches.md); zero iff txCount is zero
        bytes32 blocksRoot; // the blocks' headers by block number (docs/batches.md); never zero
        bytes32 claimsRoot; // each claimed domain's (start, end, steps) by domain id (docs/steps.md, "Claims"); never zero
    }

    /// One domain's claim in a batch (docs/steps.md, "Claims"): its step states' hashes at the batch's start and end and
    /// the steps between. commitBatch takes them in ascending key order, key keccak256(uint8 kind ‖ uint32 market).
    struct DomainClaim {
        uint8 kind; // 0 the accounts domain (market 0), 1 a market
        uint32 market;
        bytes32 start;
        bytes32 end;
        uint64 steps;
    }

    struct Deposit {
        address l2Account;
        uint64 amount;
        uint64 l1Block;
    }

    struct Batch {
        bytes32 stateRoot;
        bytes32 withdrawalsRoot;
        bytes32 commitmentHash; // keccak256(abi.encode(commitment))
        uint64 recordedAt; // L1 block of commitBatch
        uint64 finalAt; // L1 block from which the batch is final
        uint64 lastBlock; // last L2 block of the batch
        uint64 depositCursor; // deposits consumed after lastBlock
        bytes32 txRoot; // the batch's transactions by sequence number
        uint64 firstSequence; // its transactions have sequences firstSequence .. firstSequence + txCount - 1
        uint64 txCount;
        bytes32 blocksRoot; // the batch's block headers (timestamp, first sequence, tx count) by block number
        bytes32 claimsRoot; // the batch's domain claims (start and end step states, step count) by domain id
    }

    /// A domain's claim in a batch, per domain (docs/disputes.md, "Finality"). Final claims stay final.
    enum ClaimStatus {
        None, // no such batch
        Pending, // its window has not passed: it can be challenged
        Disputed, // a game against it is open
        Final, // window passed, no game open, not fallen, no earlier claim of its domain disputed, fallen or void
        Fallen, // a challenger won against it: its domain is void from its batch on until re-posted
        Void, // an earlier claim of its domain fell and the domain has not been re-posted since
        Held // its window passed and no game is open against it, but an earlier claim of its domain is disputed
    }

    /// One claim of a re-post (repostClaims), of the re-post's domain, in batch fromBatch + its index.
    struct RepostedClaim {
        bytes32 start;
        bytes32 end;
        uint64 steps;
    }

    /// The batch's accounts claim as it stands (claimIncluded), its end step state opened as its seventeen words
    /// (docs/steps.md, "Its step state"): a withdrawal is proven against that end's withdrawalsRoot (word 5).
    struct AccountsEnd {
        bytes32 start;
        uint64 steps;
        bytes32[17] end; // keccak256 of the seventeen words is the claim's end
        bytes32[] siblings; // the claim's leaf in claimsRoot, from the root down; none once re-posted
    }

    /// A held credit a withdrawal drew on, as its withdrawals leaf carries it (market, the credit's L2 block), and the
    /// batch through which the market's claims must be final to pay it: the batch holding l2Block (or a later one).
    struct HeldDraw {
        uint32 market;
        uint64 l2Block;
        uint64 batchIndex;
    }

    /// The claim a re-post's first claim replaces (repostClaims): the domain's fallen claim in batch fromBatch, opened
    /// as claimIncluded takes it (siblings empty if it was itself a re-posted one), its start the re-post's. Checked
    /// only for batch 0 under a genesis that is not the empty state, whose start the re-post must keep.
    struct ReplacedClaim {
        bytes32 end;
        uint64 steps;
        bytes32[] siblings;
    }

    /// One market's part of an escape: the market record and the caller's position record in the
    /// market's tree, and that tree's root in the market-roots tree. Siblings from the root down.
    struct MarketProof {
        uint32 market;
        bytes marketRecord;
        bytes32[] marketRecordSiblings;
        bytes positionRecord;
        bytes32[] positionSiblings;
        bytes32[] marketRootSiblings;
    }

    // ---- events ----

    event DepositQueued(uint64 indexed index, address indexed l2Account, address indexed from, uint64 amount, uint64 l1Block);
    event DepositsPaused();
    event DepositsResumed();
    event BatchDataPosted(uint64 indexed batchIndex, uint32 part, bytes32 partHash, bytes32 accumulator);
    event BatchDataDiscarded(uint64 indexed batchIndex, uint32 parts);
    event BatchCommitted(
        uint64 indexed batchIndex,
        bytes32 commitmentHash,
        bytes32 newStateRoot,
        bytes32 withdrawalsRoot,
        uint64 depositCursor,
        uint64 firstBlock,
        uint64 lastBlock,
        uint64 firstSequence,
        uint64 txCount,
        bytes32 txRoot,
        bytes32 blocksRoot,
        bytes32 claimsRoot
    );
    event WithdrawalClaimed(bytes32 indexed key, address indexed account, uint64 amount, uint64 batchIndex);
    event Frozen(uint64 lastFinalBatch, bytes32 escapeStateRoot);
    event Escaped(address indexed account, uint256 owed, uint256 paid);
    event DepositReclaimed(uint64 indexed index, address indexed l2Account, uint64 amount, uint256 paid);
    event ConfigChangeProposed(uint64 challengeWindowBlocks, uint64 forcedInclusionBlocks, uint64 escapeTimeoutBlocks, uint64 executableAt);
    event ConfigChanged(uint64 challengeWindowBlocks, uint64 forcedInclusionBlocks, uint64 escapeTimeoutBlocks);
    event ConfigChangeCancelled();
    event SequencerChangeProposed(address indexed sequencer, uint64 executableAt);
    event SequencerChanged(address indexed previous, address indexed sequencer);
    event SequencerChangeCancelled(address indexed sequencer);
    event OperatorChangeProposed(address indexed operator, uint64 executableAt);
    event OperatorChanged(address indexed previous, address indexed operator);
    event OperatorChangeCancelled(address indexed operator);
    event DisputeGameChangeProposed(address indexed disputeGame, uint64 executableAt);
    event DisputeGameChanged(address indexed previous, address indexed disputeGame);
    event DisputeGameChangeCancelled(address indexed disputeGame);
    /// A claim fell (its game's challenger won): domain (kind, market) is void from batch voidFrom (the earliest of its
    /// fallen claims not re-posted) on, until the sequencer re-posts it from there (repostClaims).
    event DomainVoided(uint8 kind, uint32 market, uint64 fallenBatch, uint64 voidFrom);
    /// The domain's claims of batches fromBatch .. fromBatch + count - 1 were re-posted; they are final from L1 block
    /// finalAt on (unless disputed).
    event ClaimsReposted(uint8 kind, uint32 market, uint64 fromBatch, uint64 count, uint64 finalAt);

    // ---- errors ----

    error NotSequencer(address caller);
    error NotOperator(address caller);
    error ZeroAddress();
    error InvalidConfig();
    error ContractFrozen();
    error NotFrozen();
    error ZeroAmount();
    error AmountTooLarge(uint256 amount);
    error DepositsArePaused();
    error UnknownDeposit(uint64 index, uint64 depositCount);
    error WrongBatchIndex(uint64 expected, uint64 given);
    error WrongPart(uint32 expected, uint32 given);
    error NoBatchData();
    error WrongBatchDataHash(bytes32 expected, bytes32 given);
    error WrongFirstBlock(uint64 expected, uint64 given);
    error BadBlockRange(uint64 firstBlock, uint64 lastBlock);
    error WrongPrevStateRoot(bytes32 expected, bytes32 given);
    error WrongFirstSequence(uint64 expected, uint64 given);
    error TxRootAndCountDisagree(uint64 txCount, bytes32 txRoot);
    error SequenceOverflow(uint64 firstSequence, uint64 txCount);
    error ZeroBlocksRoot();
    error ClaimsNotTheRoot(bytes32 computed, bytes32 committed);
    error ClaimsNotInKeyOrder(uint256 index);
    error NoAccountsClaim();
    error NotADomain(uint8 kind, uint32 market);
    error DepositCursorDecreased(uint64 current, uint64 given);
    error DepositCursorBeyondQueue(uint64 depositCount, uint64 given);
    error OverdueDeposit(uint64 index);
    error UnknownBatch(uint64 batchIndex);
    error BatchNotFinal(uint64 batchIndex);
    error AlreadyClaimed(bytes32 key);
    error InvalidWithdrawalProof(bytes32 key);
    /// The opened accounts end is not the batch's accounts claim as it stands (claimWithdrawal).
    error AccountsEndNotClaimed(uint64 batchIndex);
    error FreezeTooEarly(uint64 freezableAt);
    error AlreadyEscaped(address account);
    error StateRootMismatch(bytes32 escapeStateRoot, bytes32 proven);
    error MarketsNotIncreasing(uint32 previous, uint32 market);
    error MarketTreeMismatch(uint32 market);
    error MarketsRootMismatch(uint32 market);
    error ZeroSizeScale(uint32 market);
    error DepositNotReclaimable(uint64 index, uint64 escapeDepositCursor);
    error DepositAlreadyReclaimed(uint64 index);
    /// payEscape called by another account than the settlement's escape hatch.
    error NotEscapeHatch(address caller);
    error NoPendingChange();
    error TimelockNotElapsed(uint64 executableAt);
    /// A game hook (gameOpened, gameClosed) called by another account than the dispute game (or, for gameClosed, a
    /// former one).
    error NotDisputeGame(address caller);
    /// gameOpened of a claim that is not Pending.
    error ClaimNotPending(uint64 batchIndex, uint8 kind, uint32 market, ClaimStatus status);
    /// repostClaims of a domain none of whose claims has fallen since its last re-post.
    error DomainNotVoid(uint8 kind, uint32 market);
    /// A re-post starts at the domain's earliest fallen claim not re-posted.
    error WrongRepostFrom(uint64 expected, uint64 given);
    /// A re-post waits until every game against the domain's claims from fromBatch on has ended (abandon the games
    /// against void claims): batchIndex is the last batch with one open.
    error GamesStillOpen(uint8 kind, uint32 market, uint64 batchIndex);
    /// A re-post has one claim per batch from fromBatch to the last committed one.
    error WrongRepostCount(uint64 expected, uint64 given);
    /// A re-post from batch 0 under a genesis that is not the empty state: the replaced claim (ReplacedClaim) with the
    /// first re-posted claim's start is not the domain's fallen claim there (batch 0's start, unchecked, is kept).
    error ReplacedClaimNotProven();
    /// claimWithdrawal of a leaf that drew on funds held for `market`: its claim in batchIndex (and so every earlier
    /// one) is not Final yet.
    error HeldMarketNotFinal(uint32 market, uint64 batchIndex, ClaimStatus status);
    /// A HeldDraw's batch ends before its L2 block.
    error HeldBlockAfterBatch(uint64 l2Block, uint64 batchIndex);

    // ---- deposits ----

    function deposit(uint64 amount, address l2Account) external returns (uint64 index);
    function depositCount() external view returns (uint64);
    function queuedDeposit(uint64 index) external view returns (Deposit memory);
    function depositsPaused() external view returns (bool);

    // ---- batches ----

    function postBatchData(uint64 batchIndex, uint32 part, bytes calldata data) external;
    function discardBatchData() external;
    function commitBatch(Commitment calldata c, DomainClaim[] calldata claims) external;
    function pendingBatchData() external view returns (uint32 parts, bytes32 accumulator);
    function nextBatchIndex() external view returns (uint64);
    function lastStateRoot() external view returns (bytes32);
    function nextL2Block() external view returns (uint64);
    function nextSequence() external view returns (uint64);
    function depositCursor() external view returns (uint64);
    function lastCommitAt() external view returns (uint64);
    function batch(uint64 batchIndex) external view returns (Batch memory);
    function isFinalized(uint64 batchIndex) external view returns (bool);
    function finalBatchCount() external view returns (uint64);
    function transactionIncluded(uint64 batchIndex, uint64 sequence, bytes32 txHash, bytes32[] calldata siblings)
        external
        view
        returns (bool);
    function transactionKey(uint64 sequence) external pure returns (bytes32);
    function blockIncluded(
        uint64 batchIndex,
        uint64 l2Block,
        uint64 timestamp,
        uint64 firstSequence,
        uint32 txCount,
        bytes32[] calldata siblings
    ) external view returns (bool);
    function claimIncluded(
        uint64 batchIndex,
        uint8 kind,
        uint32 market,
        bytes32 start,
        bytes32 end,
        uint64 steps,
        bytes32[] calldata siblings
    ) external view returns (bool);

    // ---- finality of claims (docs/disputes.md, "Finality") ----

    /// The status of batch `batchIndex`'s claim of domain (kind, market). The contract holds only the claims' root, so
    /// this does not say whether the batch claims the domain (claimIncluded does).
    function claimStatus(uint64 batchIndex, uint8 kind, uint32 market) external view returns (ClaimStatus);
    /// claimStatus, the claim's version (0 as committed, n after its n-th re-post), the games open against it and the
    /// L1 block its window ends at (a game may open before it, not at or after it); all zero for an unknown batch.
    function claimState(uint64 batchIndex, uint8 kind, uint32 market)
        external
        view
        returns (ClaimStatus status, uint32 version, uint32 openGames, uint64 finalAt);
    /// The sequencer's re-post of a void domain's claims, one per batch from fromBatch (the domain's earliest fallen
    /// claim) to the last committed batch, under a fresh challenge window. Each claim's start is held to the claim
    /// before as it stands by proveStartBroken (batch 0's to the empty genesis); under a genesis that is not the empty
    /// state, batch 0's keeps the fallen claim's start.
    function repostClaims(
        uint8 kind,
        uint32 market,
        uint64 fromBatch,
        ReplacedClaim calldata replaced,
        RepostedClaim[] calldata claims
    ) external;
    /// Hooks of the dispute game (disputeGame()): a game opened against a Pending claim; a game ended on it, the claim
    /// fallen or not. gameOpened returns the claim's version.
    function gameOpened(uint64 batchIndex, uint8 kind, uint32 market) external returns (uint32 version);
    function gameClosed(uint64 batchIndex, uint8 kind, uint32 market, bool claimFell) external;

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
    ) external;
    function claimed(bytes32 key) external view returns (bool);
    function withdrawalKey(uint64 l2Block, uint32 txIndex) external pure returns (bytes32);

    // ---- escape hatch ----

    function freeze() external;
    function freezableAt() external view returns (uint64);
    function frozen() external view returns (bool);
    function escapeStateRoot() external view returns (bytes32);
    function escapeDepositCursor() external view returns (uint64);
    /// The escape hatch's payouts: capped at what the settlement holds; the hatch's call only (NotEscapeHatch).
    function payEscape(address to, uint256 owed) external returns (uint256 paid);

    // ---- roles and time lock ----

    function token() external view returns (IERC20);
    function genesisStateRoot() external view returns (bytes32);
    function timelockDelayBlocks() external view returns (uint64);
    function sequencer() external view returns (address);
    function operator() external view returns (address);
    function config() external view returns (Config memory);
    function pauseDeposits() external;
    function resumeDeposits() external;
    function proposeConfig(Config calldata next) external;
    function executeConfig() external;
    function cancelConfig() external;
    function pendingConfig() external view returns (Config memory next, uint64 executableAt);
    function proposeSequencer(address next) external;
    function executeSequencer() external;
    function cancelSequencer() external;
    function pendingSequencer() external view returns (address next, uint64 executableAt);
    function proposeOperator(address next) external;
    function executeOperator() external;
    function cancelOperator() external;
    function pendingOperator() external view returns (address next, uint64 executableAt);
    /// The dispute game whose games hold claims' finality; address(0) (the start): none, batches final by their window.
    function disputeGame() external view returns (address);
    function proposeDisputeGame(address next) external;
    function executeDisputeGame() external;
    function cancelDisputeGame() external;
    function pendingDisputeGame() external view returns (address next, uint64 executableAt);
}
