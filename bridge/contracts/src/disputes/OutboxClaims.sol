// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {AccountsState} from "../steps/AccountsStepTypes.sol";
import {MarketState} from "../steps/markets/MarketStepTypes.sol";

/// @notice The accounts domain's claim in a batch with its end state opened (docs/disputes.md, "One-step provers"):
/// a market step reads its routed messages from that end state's outboxRoot.
struct AccountsOutboxClaim {
    bytes32 start;
    AccountsState end; // keccak256(abi.encode(end)) is the claim's end
    uint64 steps;
    bytes32[] siblings; // the claim's leaf in the batch's claimsRoot, from the root down
}

/// @notice A market's claim in a batch with its end state opened: a Reply step of the accounts domain reads the
/// market's margin replies from that end state's outbox.
struct MarketOutboxClaim {
    uint32 market;
    bytes32 start;
    MarketState end; // keccak256(abi.encode(end)) is the claim's end
    uint64 steps;
    bytes32[] siblings;
}
