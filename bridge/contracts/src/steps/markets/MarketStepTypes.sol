// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Leaf} from "../AccountsStepTypes.sol";
import {OrderedTree} from "../OrderedTree.sol";

/// @notice A market domain's step state (docs/steps.md, "Its step state"; C# MarketState): twenty ABI words, so
/// its hash is keccak256(abi.encode(state)). Each ordered root is its hash and a word count << 128 | size.
struct MarketState {
    uint32 market;
    uint64 block;
    uint64 timestamp;
    uint32 nextMessage;
    uint8 phase;
    bytes32 recordHash; // keccak256(market record), zero before the market exists
    bytes32 positions;
    uint256 positionsCountSize;
    bytes32 bids;
    uint256 bidsCountSize;
    bytes32 asks;
    uint256 asksCountSize;
    bytes32 longs;
    uint256 longsCountSize;
    bytes32 shorts;
    uint256 shortsCountSize;
    bytes32 outbox; // margin replies: key keccak256(u64 block ‖ u32 txIndex), record address ‖ i64 amount
    bytes32 receipts; // h' = keccak256(h ‖ u64 sequence ‖ u8 status)
    bytes32 pendingHash; // keccak256(pending work), zero when none
    bool liquidatedThisRound;
}

/// @notice What a market step takes besides its state and witness (C# MarketStepContext).
struct MarketStepContext {
    bytes32 txRoot;
    bytes32 blocksRoot;
    bytes32 accountsOutboxRoot;
    uint32 bookOpsPerStep; // F
    uint32 cancelsPerStep; // C
}

/// @notice One leaf of an ordered tree as a witness holds it: the key, the record its value hash is keccak256 of
/// (empty for a risk leaf and for an absent key) and its proof against the tree's root before the read.
struct OrderedLeaf {
    bytes32 key;
    bytes record;
    OrderedTree.Proof proof;
}

/// @notice A market step's witness, two streams each read in the step's order: the sparse Merkle leaves (blocks,
/// transactions, the accounts outbox, the market's outbox) and the ordered trees' leaves.
struct MarketWitness {
    Leaf[] inputs;
    OrderedLeaf[] ordered;
}

/// @notice What the step function carries as bytes beside the state (which holds their hashes).
struct MarketBytes {
    bytes record;
    bytes pending;
}

library MarketPhase {
    uint8 internal constant BLOCK_START = 0;
    uint8 internal constant INBOX = 1;
    uint8 internal constant MARK = 2;
    uint8 internal constant LIQUIDATION = 3;
    uint8 internal constant MARK_AGAIN = 4;
}

/// @notice The ordered trees of a market domain (C# MarketTree).
library MarketTree {
    uint8 internal constant POSITIONS = 1;
    uint8 internal constant BIDS = 2;
    uint8 internal constant ASKS = 3;
    uint8 internal constant LONGS = 4;
    uint8 internal constant SHORTS = 5;
}
