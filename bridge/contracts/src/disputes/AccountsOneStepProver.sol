// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "../IRollupSettlement.sol";
import {IOneStepProver} from "./IOneStepProver.sol";
import {MarketOutboxClaim} from "./OutboxClaims.sol";
import {AccountsStepVerifier} from "../steps/AccountsStepVerifier.sol";
import {AccountsState, BatchInputs, L1Deposit, Leaf, MarketOutbox} from "../steps/AccountsStepTypes.sol";
import {TxKind} from "../steps/TransactionDecoder.sol";

/// @notice The accounts domain's one-step prover (docs/disputes.md, "One-step provers"): the deployed
/// AccountsStepVerifier run on a proof abi.encode(AccountsState pre, MarketOutboxClaim[] outboxes, Leaf[] witness),
/// with the batch inputs from the batch record, each market's outbox root from that market's claim in the same
/// batch as it stands on the settlement contract (re-posted, once the market is re-posted there), and the L1 deposit
/// from the settlement contract's queue, never the proof.
contract AccountsOneStepProver is IOneStepProver {
    /// @notice The proof's claim for `market` (start, keccak256(end), steps, siblings) is not the batch's as it stands
    /// (settlement.claimIncluded: not in its claimsRoot, or replaced by a re-post): no outbox is taken from it.
    error OutboxNotClaimed(uint32 market);
    /// @notice The outbox claims must be strictly increasing by market: the verifier binary-searches them.
    error OutboxesOutOfOrder(uint32 market);

    /// The binary Deposit: kind u8 ‖ account (20) ‖ amount u64 ‖ depositIndex u64 (docs/transactions.md).
    uint256 private constant DEPOSIT_LENGTH = 37;
    uint256 private constant DEPOSIT_INDEX_AT = 29;
    uint8 private constant MARKET = 1;
    /// An expected reply's record: u32 market ‖ u32 txIndex.
    uint256 private constant REPLY_LENGTH = 8;

    IRollupSettlement public immutable settlement;
    AccountsStepVerifier public immutable verifier;

    constructor(IRollupSettlement settlement_, AccountsStepVerifier verifier_) {
        settlement = settlement_;
        verifier = verifier_;
    }

    function prove(uint64 batchIndex, IRollupSettlement.Batch calldata batch, uint32, bytes calldata proof)
        external
        view
        returns (bytes32 pre, bytes32 post)
    {
        (AccountsState memory before, MarketOutboxClaim[] memory claims, Leaf[] memory witness) =
            abi.decode(proof, (AccountsState, MarketOutboxClaim[], Leaf[]));
        BatchInputs memory inputs = BatchInputs(batch.txRoot, batch.blocksRoot, _outboxes(batchIndex, claims));
        AccountsState memory afterStep = verifier.step(before, inputs, _l1Deposit(before, witness), witness);
        return (keccak256(abi.encode(before)), keccak256(abi.encode(afterStep)));
    }

    /// @notice The proof `prove` decodes: clients encode it with this function's parameter types (its calldata less
    /// the selector), so their encoding follows these structs.
    function proofOf(AccountsState calldata pre, MarketOutboxClaim[] calldata outboxes, Leaf[] calldata witness)
        external
        pure
        returns (bytes memory)
    {
        return abi.encode(pre, outboxes, witness);
    }

    /// A Reply step (the block's transactions done, a reply left to take) reads the claim of the market its replies
    /// leaf names: the witness's first record, u32 market ‖ u32 txIndex, which the verifier proves in repliesRoot.
    function inputOf(uint32, bytes calldata proof)
        external
        pure
        returns (bytes32 pre, bool reads, uint8 kind, uint32 inputMarket)
    {
        (AccountsState memory s,, Leaf[] memory witness) = abi.decode(proof, (AccountsState, MarketOutboxClaim[], Leaf[]));
        pre = keccak256(abi.encode(s));
        if (s.txIndex < s.txCount || s.nextReply >= s.replyCount || witness.length == 0) return (pre, false, 0, 0);
        bytes memory record = witness[0].record;
        if (record.length != REPLY_LENGTH) return (pre, false, 0, 0);
        assembly ("memory-safe") {
            inputMarket := shr(224, mload(add(record, 32)))
        }
        return (pre, true, MARKET, inputMarket);
    }

    /// The outbox root of each claimed market's end state, in the claims' order.
    function _outboxes(uint64 batchIndex, MarketOutboxClaim[] memory claims) private view returns (MarketOutbox[] memory outboxes) {
        outboxes = new MarketOutbox[](claims.length);
        for (uint256 i = 0; i < claims.length; i++) {
            MarketOutboxClaim memory c = claims[i];
            if (i > 0 && c.market <= claims[i - 1].market) revert OutboxesOutOfOrder(c.market);
            bytes32 end = keccak256(abi.encode(c.end));
            if (!settlement.claimIncluded(batchIndex, MARKET, c.market, c.start, end, c.steps, c.siblings)) {
                revert OutboxNotClaimed(c.market);
            }
            outboxes[i] = MarketOutbox(c.market, c.end.outbox);
        }
    }

    /// The queue's record a Deposit step is checked against: at the transaction's own depositIndex (docs/steps.md,
    /// rule 0), which is pre.nextDepositIndex for every in-order deposit; an out-of-order one (DepositOutOfOrder) is
    /// still L1's and provable. Zero past the queue's end, and for any other step. The index is read from the
    /// witness's transaction record before the verifier proves that record: a record not in txRoot is refused there.
    function _l1Deposit(AccountsState memory s, Leaf[] memory witness) private view returns (L1Deposit memory d) {
        if (s.txIndex >= s.txCount || witness.length == 0) return d;
        bytes memory record = witness[0].record;
        if (record.length != DEPOSIT_LENGTH || uint8(record[0]) != TxKind.DEPOSIT) return d;
        uint64 index;
        assembly ("memory-safe") {
            index := shr(192, mload(add(add(record, 32), DEPOSIT_INDEX_AT)))
        }
        if (index >= settlement.depositCount()) return d;
        IRollupSettlement.Deposit memory q = settlement.queuedDeposit(index);
        return L1Deposit(q.l2Account, q.amount);
    }
}
