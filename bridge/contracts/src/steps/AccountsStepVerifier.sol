// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {AccountRecord} from "./AccountRecord.sol";
import {AccountsState, BatchInputs, L1Deposit, Leaf, MarketOutbox} from "./AccountsStepTypes.sol";
import {AccountsStepKeys as Keys} from "./AccountsStepKeys.sol";
import {Bulk, BulkDecoder, BulkSignature} from "./BulkDecoder.sol";
import {MarketParamsRules} from "./MarketParamsRules.sol";
import {ReplayWindow} from "./ReplayWindow.sol";
import {SignerRecovery} from "./SignerRecovery.sol";
import {SparseMerkleLeaf} from "./SparseMerkleLeaf.sol";
import {Transaction, TransactionDecoder, TxKind} from "./TransactionDecoder.sol";
import {TransactionEip712} from "./TransactionEip712.sol";
import {TxStatus} from "./TxStatus.sol";

/// @notice One step of the accounts domain on L1 (docs/steps.md): from the state before a step, the batch's
/// inputs and a witness of Merkle-proven leaves, the state after it. The step's kind is a function of the state:
/// a transaction of the block while `txIndex < txCount`, then the block's margin replies while
/// `nextReply < replyCount`, then the start of the next block. The rules are the engine's phase A
/// (execution/Rollup.Execution/Blocks/ExecutionEngine.Execute.cs), except that an OracleUpdate's signer is
/// checked by its market, not here.
/// @dev The witness is read in the doc's order ("The witness, leaf by leaf") and only as far as the step gets;
/// every leaf is checked against its tree's root in the state before the step, and a tree the step writes
/// takes its new root from the same proof. Unreachable arithmetic (an i64 balance or total past 2^63 − 1, a
/// u64 or u32 cursor past its range) reverts with Solidity's overflow panic.
contract AccountsStepVerifier {
    /// @notice Witness leaf `leaf` does not prove what the step needs: a proof that does not lead to the tree's
    /// root for the step's key, a record present where the step needs the key absent, or absent where present.
    error BadProof(uint256 leaf);

    /// @notice Witness leaf `leaf` is proven, but its record is not one the tree can hold (wrong length, an
    /// unreachable nonce window, a registry record other than 0x01, a negative margin reply).
    error BadRecord(uint256 leaf);

    /// @notice The state's cursor is past its end (`txIndex > txCount` or `nextReply > replyCount`): no step
    /// follows it.
    error WrongStepKind();

    /// @notice The step's Deposit is not the L1 queue's record at its index (`deposit`): account or amount differ.
    error DepositNotOnL1();

    /// @notice The step needs `needed` witness leaves and fewer were given.
    error WitnessTooShort(uint256 needed);

    /// @notice The step read `used` witness leaves and `given` were given: a witness holds only what it needs.
    error WitnessTooLong(uint256 used, uint256 given);

    /// @notice The next block's header says its first sequence is `given`, but the state's block ends before
    /// `expected`.
    error BlockOutOfSequence(uint64 expected, uint64 given);

    /// @notice A reply is expected from `market`, but the batch inputs have no outbox root for it.
    error NoMarketOutbox(uint32 market);

    enum StepKind {
        BlockStart,
        Transaction,
        Reply
    }

    uint256 private constant MAX_I64 = uint256(uint64(type(int64).max));
    /// Order slots are counted as the engine's int counts them: held at 2^31 − 1 (a block refuses orders past 2^19).
    uint256 private constant MAX_SLOT = uint256(uint32(type(int32).max));

    /// @notice hashStruct of the Rollup EIP-712 domain for the chain id and settlement contract deployed with.
    bytes32 public immutable domainSeparator;

    /// @notice The chain's operator keys: they alone may send CreateMarket, SetMarketParams, PauseMarket, ResumeMarket.
    mapping(address => bool) public isOperator;

    constructor(uint256 chainId, address verifyingContract, address[] memory operators) {
        domainSeparator = TransactionEip712.domainSeparator(chainId, verifyingContract);
        for (uint256 i = 0; i < operators.length; i++) {
            isOperator[operators[i]] = true;
        }
    }

    /// @notice The state after the step that follows `pre`.
    function step(AccountsState calldata pre, BatchInputs calldata batch, L1Deposit calldata deposit, Leaf[] calldata witness)
        external
        view
        returns (AccountsState memory post)
    {
        post = pre;
        StepKind kind = nextStepKind(post);
        uint256 used;
        if (kind == StepKind.Transaction) used = _transaction(post, batch.txRoot, deposit, witness);
        else if (kind == StepKind.Reply) used = _reply(post, batch.outboxes, witness);
        else used = _blockStart(post, batch.blocksRoot, witness);
        if (used != witness.length) revert WitnessTooLong(used, witness.length);
    }

    /// @notice The step state's hash, what a claim commits to: keccak256(abi.encode(state)).
    function stateHash(AccountsState memory state) public pure returns (bytes32) {
        return keccak256(abi.encode(state));
    }

    /// @notice Which step follows `state` (docs/steps.md, "Which step comes next").
    function nextStepKind(AccountsState memory state) public pure returns (StepKind) {
        if (state.txIndex > state.txCount || state.nextReply > state.replyCount) revert WrongStepKind();
        if (state.txIndex < state.txCount) return StepKind.Transaction;
        if (state.nextReply < state.replyCount) return StepKind.Reply;
        return StepKind.BlockStart;
    }

    // ---- BlockStart ----

    /// The next block's header (leaf 0, present in blocksRoot) opens it: cursor and block-scoped fields reset.
    function _blockStart(AccountsState memory s, bytes32 blocksRoot, Leaf[] calldata w) private pure returns (uint256) {
        uint64 number = s.block + 1;
        Leaf calldata header = _present(w, 0, blocksRoot, Keys.ofU64(number));
        bytes calldata r = header.record;
        if (r.length != 20) revert BadRecord(0);
        uint64 firstSequence = uint64(_read(r, 8, 8));
        uint64 expected = s.firstSequence + s.txCount;
        if (firstSequence != expected) revert BlockOutOfSequence(expected, firstSequence);
        s.block = number;
        s.firstSequence = firstSequence;
        s.txCount = uint32(_read(r, 16, 4));
        s.txIndex = 0;
        s.repliesRoot = bytes32(0);
        s.replyCount = 0;
        s.nextReply = 0;
        s.routedRoot = bytes32(0);
        s.nextSlot = 0;
        return 1;
    }

    // ---- Transaction ----

    /// Transaction `txIndex` of the block (leaf 0, present in txRoot), then the kind's leaves.
    function _transaction(AccountsState memory s, bytes32 txRoot, L1Deposit calldata deposit, Leaf[] calldata w)
        private
        view
        returns (uint256 used)
    {
        uint64 sequence = s.firstSequence + s.txIndex;
        Leaf calldata txLeaf = _present(w, 0, txRoot, Keys.ofU64(sequence));
        (Transaction memory t, bytes32 structHash, uint256 slots) = _decode(txLeaf.record);
        uint8 status;
        bool decidedHere;
        if (t.kind == TxKind.DEPOSIT) {
            (status, used) = _deposit(s, t, deposit, w);
            decidedHere = true;
        } else {
            (status, decidedHere, used) = _signed(s, t, structHash, w);
        }
        if (decidedHere) s.receiptsHash = keccak256(abi.encodePacked(s.receiptsHash, sequence, status));
        s.txIndex += 1;
        uint256 nextSlot = s.nextSlot + slots;
        s.nextSlot = uint32(nextSlot > MAX_SLOT ? MAX_SLOT : nextSlot);
    }

    /// The transaction, its EIP-712 struct hash (none for a Deposit) and the order slots it takes: a bulk one per
    /// item, every other kind one. A bulk's fields this step needs are those of any signed kind routed to a market.
    function _decode(bytes calldata record) private pure returns (Transaction memory t, bytes32 structHash, uint256 slots) {
        if (BulkDecoder.isBulk(record)) {
            (Bulk memory b, BulkSignature memory sig) = BulkDecoder.decode(record);
            t.kind = TxKind.BULK;
            t.account = b.account;
            t.market = b.market;
            t.nonce = sig.nonce;
            (t.r, t.s, t.v) = (sig.r, sig.s, sig.v);
            return (t, BulkDecoder.hashStruct(b, sig.nonce), b.items.length);
        }
        t = TransactionDecoder.decode(record);
        if (t.kind != TxKind.DEPOSIT) structHash = TransactionEip712.hashStruct(t);
        slots = 1;
    }

    /// A Deposit: the L1 queue's record must be the transaction's; then by index, overflow, and the credit.
    function _deposit(AccountsState memory s, Transaction memory t, L1Deposit calldata deposit, Leaf[] calldata w)
        private
        pure
        returns (uint8 status, uint256 used)
    {
        if (deposit.account != t.account || deposit.amount != t.amount) revert DepositNotOnL1();
        if (t.depositIndex != s.nextDepositIndex) return (TxStatus.DEPOSIT_OUT_OF_ORDER, 1);
        if (t.amount > MAX_I64 || int256(s.totalDeposits) + int256(uint256(t.amount)) > int256(MAX_I64)) {
            return (TxStatus.OVERFLOW, 1);
        }
        Leaf calldata accountLeaf = _leaf(w, 1);
        AccountRecord.Account memory a = _account(accountLeaf, 1);
        a.balance += int64(t.amount);
        s.accountsRoot = _writeAccount(s.accountsRoot, accountLeaf, 1, t.account, a);
        s.nextDepositIndex += 1;
        s.totalDeposits += int64(t.amount);
        return (TxStatus.ACCEPTED, 2);
    }

    /// A signed kind: signature, nonce (the account, leaf 1, is written back from here on whatever follows, as the
    /// engine writes every account it touched: a fresh one too), authorization, then the kind's work.
    function _signed(AccountsState memory s, Transaction memory t, bytes32 structHash, Leaf[] calldata w)
        private
        view
        returns (uint8 status, bool decidedHere, uint256 used)
    {
        address signer = SignerRecovery.tryRecover(TransactionEip712.digestOf(domainSeparator, structHash), t.r, t.s, t.v);
        if (signer == address(0) || signer != t.account) return (TxStatus.BAD_SIGNATURE, true, 1);

        Leaf calldata accountLeaf = _leaf(w, 1);
        AccountRecord.Account memory a = _account(accountLeaf, 1);
        uint8 replay;
        (replay, a.highest, a.used) = ReplayWindow.tryConsume(a.highest, a.used, t.nonce);
        // ReplayWindow's Replayed, TooOld, TooFarAhead are TxStatus Replayed, NonceTooOld, NonceTooFar.
        status = replay == ReplayWindow.NONE ? TxStatus.ACCEPTED : replay + 1;
        decidedHere = true;
        used = 2;
        if (status == TxStatus.ACCEPTED && _isMarketAdmin(t.kind) && !isOperator[t.account]) {
            status = TxStatus.NOT_OPERATOR;
        }
        if (status == TxStatus.ACCEPTED) (status, decidedHere, used) = _work(s, t, a, w);
        s.accountsRoot = _writeAccount(s.accountsRoot, accountLeaf, 1, t.account, a);
    }

    /// The kind's work once signature, nonce and authorization passed (leaves from 2 on).
    function _work(AccountsState memory s, Transaction memory t, AccountRecord.Account memory a, Leaf[] calldata w)
        private
        pure
        returns (uint8 status, bool decidedHere, uint256 used)
    {
        if (t.kind == TxKind.WITHDRAW) return _withdraw(s, t, a, w);
        if (t.kind == TxKind.CREATE_MARKET) return _createMarket(s, t, w);
        // Every other kind goes to its market, which must be registered.
        Leaf calldata registry = _leaf(w, 2);
        _verify(registry, 2, s.registryRoot, Keys.ofU32(t.market));
        if (registry.record.length == 0) return (TxStatus.UNKNOWN_MARKET, true, 3);
        _requireRegistered(registry, 2);
        if (t.kind == TxKind.TRANSFER_MARGIN) {
            status = t.toMarket
                ? AccountRecord.transferIn(a, t.market, t.amount, s.block)
                : AccountRecord.transferOut(a, t.market, s.block);
            if (status != TxStatus.ACCEPTED) return (status, true, 3);
        }
        _route(s, t.market, w, 3);
        if (t.kind != TxKind.TRANSFER_MARGIN) return (TxStatus.ACCEPTED, false, 5);
        _expectReply(s, t.market, w, 5);
        return (TxStatus.ACCEPTED, false, 6);
    }

    /// Withdraw: from the free balance, into the batch's withdrawals tree (leaf 2, absent).
    function _withdraw(AccountsState memory s, Transaction memory t, AccountRecord.Account memory a, Leaf[] calldata w)
        private
        pure
        returns (uint8 status, bool decidedHere, uint256 used)
    {
        bytes memory drawnFrom;
        (status, drawnFrom) = AccountRecord.withdraw(a, t.amount, s.block);
        if (status != TxStatus.ACCEPTED) return (status, true, 2);
        int64 amount = int64(t.amount);
        s.totalWithdrawals += amount;
        bytes32 key = Keys.blockTx(s.block, s.txIndex);
        s.withdrawalsRoot = _insert(w, 2, s.withdrawalsRoot, key, keccak256(abi.encodePacked(t.account, amount, drawnFrom)));
        return (TxStatus.ACCEPTED, true, 3);
    }

    /// CreateMarket: the registry leaf (leaf 2) absent and valid parameters register the market and route the
    /// transaction to it. Its receipt is decided here, Accepted included.
    function _createMarket(AccountsState memory s, Transaction memory t, Leaf[] calldata w)
        private
        pure
        returns (uint8 status, bool decidedHere, uint256 used)
    {
        Leaf calldata registry = _leaf(w, 2);
        bytes32 key = Keys.ofU32(t.market);
        if (registry.record.length != 0) {
            _verify(registry, 2, s.registryRoot, key);
            _requireRegistered(registry, 2);
            return (TxStatus.MARKET_EXISTS, true, 3);
        }
        if (!MarketParamsRules.areValid(t.params)) {
            _verify(registry, 2, s.registryRoot, key);
            return (TxStatus.INVALID_MARKET_PARAMS, true, 3);
        }
        s.registryRoot = _insert(w, 2, s.registryRoot, key, Keys.REGISTERED_HASH);
        _route(s, t.market, w, 3);
        return (TxStatus.ACCEPTED, true, 5);
    }

    /// Routes the transaction to `market`: its count j in routedRoot (leaf `i`), then message j in the outbox
    /// (leaf `i + 1`, absent) holding (sequence, txIndex, the transaction's first slot); the count becomes j + 1.
    function _route(AccountsState memory s, uint32 market, Leaf[] calldata w, uint256 i) private pure {
        uint32 count = _countRouted(s, market, _leaf(w, i), i);
        bytes32 key = Keys.outboxMessage(market, s.block, count);
        bytes32 message = Keys.outboxRecordHash(s.firstSequence + s.txIndex, s.txIndex, s.nextSlot);
        s.outboxRoot = _insert(w, i + 1, s.outboxRoot, key, message);
    }

    /// Market `market`'s count j of messages this block (leaf `i` of routedRoot, absent while 0), set to j + 1.
    function _countRouted(AccountsState memory s, uint32 market, Leaf calldata routed, uint256 i)
        private
        pure
        returns (uint32 count)
    {
        bytes calldata r = routed.record;
        if (r.length != 0) {
            if (r.length != 4) revert BadRecord(i);
            count = uint32(_read(r, 0, 4));
        }
        s.routedRoot = _write(routed, i, s.routedRoot, Keys.ofU32(market), Keys.countRecordHash(count + 1));
    }

    /// Expects a margin reply from `market` for this transaction: leaf `replyCount` of repliesRoot (leaf `i`, absent).
    function _expectReply(AccountsState memory s, uint32 market, Leaf[] calldata w, uint256 i) private pure {
        bytes32 key = Keys.ofU32(s.replyCount);
        s.repliesRoot = _insert(w, i, s.repliesRoot, key, Keys.replyRecordHash(market, s.txIndex));
        s.replyCount += 1;
    }

    // ---- Reply ----

    /// Reply `nextReply` (leaf 0, present: market m, txIndex), m's outbox leaf for (block, txIndex) (leaf 1): if
    /// present, its amount is credited to its account (leaf 2).
    function _reply(AccountsState memory s, MarketOutbox[] calldata outboxes, Leaf[] calldata w)
        private
        pure
        returns (uint256)
    {
        Leaf calldata reply = _replyLeaf(s, outboxes, w);
        s.nextReply += 1;
        bytes calldata credit = reply.record;
        if (credit.length == 0) return 2;
        if (credit.length != 28) revert BadRecord(1);
        Leaf calldata accountLeaf = _leaf(w, 2);
        AccountRecord.Account memory a = _account(accountLeaf, 2);
        int64 amount = int64(uint64(_read(credit, 20, 8)));
        // A market hands collateral back, never takes it: a negative reply would debit a free balance.
        if (amount < 0) revert BadRecord(1);
        AccountRecord.credit(a, uint32(_read(_leaf(w, 0).record, 0, 4)), s.block, amount);
        s.accountsRoot = _writeAccount(s.accountsRoot, accountLeaf, 2, address(uint160(_read(credit, 0, 20))), a);
        return 3;
    }

    /// Leaf 1, proven in the outbox of the market that reply `nextReply` (leaf 0) is expected from.
    function _replyLeaf(AccountsState memory s, MarketOutbox[] calldata outboxes, Leaf[] calldata w)
        private
        pure
        returns (Leaf calldata reply)
    {
        bytes calldata r = _present(w, 0, s.repliesRoot, Keys.ofU32(s.nextReply)).record;
        if (r.length != 8) revert BadRecord(0);
        bytes32 outboxRoot = _outboxOf(outboxes, uint32(_read(r, 0, 4)));
        reply = _leaf(w, 1);
        _verify(reply, 1, outboxRoot, Keys.blockTx(s.block, uint32(_read(r, 4, 4))));
    }

    /// The outbox root of `market` in the batch inputs (sorted by market: a binary search).
    function _outboxOf(MarketOutbox[] calldata outboxes, uint32 market) private pure returns (bytes32) {
        uint256 lo = 0;
        uint256 hi = outboxes.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            uint32 here = outboxes[mid].market;
            if (here == market) return outboxes[mid].outboxRoot;
            if (here < market) lo = mid + 1;
            else hi = mid;
        }
        revert NoMarketOutbox(market);
    }

    // ---- accounts ----

    /// The account leaf's record: absent is a fresh account (balance 0, no nonce used, nothing held).
    function _account(Leaf calldata leaf, uint256 i) private pure returns (AccountRecord.Account memory a) {
        bool ok;
        (a, ok) = AccountRecord.decode(leaf.record);
        if (!ok) revert BadRecord(i);
    }

    function _writeAccount(bytes32 root, Leaf calldata leaf, uint256 i, address owner, AccountRecord.Account memory a)
        private
        pure
        returns (bytes32)
    {
        return _write(leaf, i, root, Keys.account(owner), AccountRecord.hash(a));
    }

    function _isMarketAdmin(uint8 kind) private pure returns (bool) {
        return kind == TxKind.CREATE_MARKET || kind == TxKind.SET_MARKET_PARAMS || kind == TxKind.PAUSE_MARKET
            || kind == TxKind.RESUME_MARKET;
    }

    function _requireRegistered(Leaf calldata registry, uint256 i) private pure {
        bytes calldata r = registry.record;
        if (r.length != 1 || r[0] != 0x01) revert BadRecord(i);
    }

    // ---- witness leaves ----

    function _leaf(Leaf[] calldata w, uint256 i) private pure returns (Leaf calldata) {
        if (i >= w.length) revert WitnessTooShort(i + 1);
        return w[i];
    }

    /// Leaf `i`, proven to hold a record at `key` under `root`.
    function _present(Leaf[] calldata w, uint256 i, bytes32 root, bytes32 key) private pure returns (Leaf calldata leaf) {
        leaf = _leaf(w, i);
        if (leaf.record.length == 0) revert BadProof(i);
        _verify(leaf, i, root, key);
    }

    /// Checks that leaf `i` is what `root` holds at `key` (its record, or the key's absence).
    function _verify(Leaf calldata leaf, uint256 i, bytes32 root, bytes32 key) private pure {
        (bool ok, bytes32 computed) =
            SparseMerkleLeaf.rootOf(key, _valueHash(leaf), leaf.siblings, leaf.otherKey, leaf.otherValueHash);
        if (!ok || computed != root) revert BadProof(i);
    }

    /// Checks leaf `i` under `root` at `key` and returns the root once `key` holds `newValueHash`.
    function _write(Leaf calldata leaf, uint256 i, bytes32 root, bytes32 key, bytes32 newValueHash)
        private
        pure
        returns (bytes32 newRoot)
    {
        (bool ok, bytes32 before, bytes32 afterWrite) = SparseMerkleLeaf.rootsOfWrite(
            key, _valueHash(leaf), newValueHash, leaf.siblings, leaf.otherKey, leaf.otherValueHash
        );
        if (!ok || before != root) revert BadProof(i);
        return afterWrite;
    }

    /// Leaf `i` must show `key` absent under `root`; returns the root once `key` holds `newValueHash`.
    function _insert(Leaf[] calldata w, uint256 i, bytes32 root, bytes32 key, bytes32 newValueHash)
        private
        pure
        returns (bytes32)
    {
        Leaf calldata leaf = _leaf(w, i);
        if (leaf.record.length != 0) revert BadProof(i);
        return _write(leaf, i, root, key, newValueHash);
    }

    function _valueHash(Leaf calldata leaf) private pure returns (bytes32) {
        return leaf.record.length == 0 ? bytes32(0) : keccak256(leaf.record);
    }

    /// The `size`-byte big-endian integer at `position` of a record whose length the caller has checked.
    function _read(bytes calldata r, uint256 position, uint256 size) private pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := shr(sub(256, mul(size, 8)), calldataload(add(r.offset, position)))
        }
    }
}
