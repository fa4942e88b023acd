// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice The accounts domain's step state (docs/steps.md, "Its step state"). Its hash is
/// keccak256(abi.encode(state)): seventeen 32-byte words in this order, integers zero-padded, int64 sign-extended.
struct AccountsState {
    bytes32 accountsRoot; // the accounts tree
    bytes32 registryRoot; // the markets that exist: key keccak256(u32 m), record 0x01
    uint64 nextDepositIndex; // the next L1 deposit to credit
    int64 totalDeposits; // collateral deposited, ever
    int64 totalWithdrawals; // collateral withdrawn, ever
    bytes32 withdrawalsRoot; // the batch's withdrawals: key keccak256(u64 block ‖ u32 txIndex), record address ‖ i64 amount
    bytes32 outboxRoot; // routed transactions: key keccak256(u32 m ‖ u64 block ‖ u32 j), record u64 sequence ‖ u32 txIndex ‖ u32 slot
    bytes32 receiptsHash; // h' = keccak256(h ‖ u64 sequence ‖ u8 status) over the receipts this domain decides
    uint64 block; // the block being executed
    uint64 firstSequence; // sequence number of the block's first transaction
    uint32 txCount; // transactions in the block
    uint32 txIndex; // the next transaction of the block
    bytes32 repliesRoot; // expected margin replies: key keccak256(u32 k), record u32 market ‖ u32 txIndex
    uint32 replyCount; // replies expected this block
    uint32 nextReply; // the next reply to take
    bytes32 routedRoot; // messages routed to each market this block: key keccak256(u32 m), record u32 count
    uint32 nextSlot; // the next transaction's first order slot in the block: one a transaction, one per item a bulk
}

/// @notice What a step proves its input against: the batch commitment's roots and the touched markets' outboxes.
struct BatchInputs {
    bytes32 txRoot; // key keccak256(u64 sequence), record the transaction's binary encoding
    bytes32 blocksRoot; // key keccak256(u64 block), record u64 timestamp ‖ u64 firstSequence ‖ u32 txCount
    MarketOutbox[] outboxes; // each touched market's claimed outbox root, strictly increasing by market
}

/// @notice A market's outbox root from its claimed end state for the batch.
struct MarketOutbox {
    uint32 market;
    bytes32 outboxRoot;
}

/// @notice The settlement contract's `queuedDeposit(index)` at a Deposit's index; ignored by other steps.
struct L1Deposit {
    address account;
    uint64 amount;
}

/// @notice One leaf of a witness: the record a key holds (empty: the key is absent) and its proof against the
/// tree's root before the step: the siblings from the root down and, for an absence proof that ends in another
/// key's leaf, that leaf's key and value hash (both zero otherwise, and always zero for a present record).
struct Leaf {
    bytes record;
    bytes32[] siblings;
    bytes32 otherKey;
    bytes32 otherValueHash;
}
