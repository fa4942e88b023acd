// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Receipt statuses the accounts domain decides: the engine's TxStatus numbers (never renumbered).
library TxStatus {
    uint8 internal constant ACCEPTED = 0;
    uint8 internal constant BAD_SIGNATURE = 1;
    uint8 internal constant REPLAYED = 2;
    uint8 internal constant NONCE_TOO_OLD = 3;
    uint8 internal constant NONCE_TOO_FAR = 4;
    uint8 internal constant NOT_OPERATOR = 5;
    uint8 internal constant INSUFFICIENT_BALANCE = 11;
    uint8 internal constant ZERO_AMOUNT = 13;
    uint8 internal constant DEPOSIT_OUT_OF_ORDER = 14;
    uint8 internal constant OVERFLOW = 15;
    uint8 internal constant FUNDS_HELD = 16;
    uint8 internal constant HELD_IN_TOO_MANY_MARKETS = 17;
    uint8 internal constant UNKNOWN_MARKET = 20;
    uint8 internal constant MARKET_EXISTS = 21;
    uint8 internal constant INVALID_MARKET_PARAMS = 24;
}
