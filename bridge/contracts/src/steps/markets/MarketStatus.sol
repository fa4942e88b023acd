// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Receipt statuses a market decides beyond those in TxStatus.sol: the engine's TxStatus numbers.
library MarketStatus {
    uint8 internal constant NOT_ORACLE_SIGNER = 6;
    uint8 internal constant INSUFFICIENT_MARGIN = 12;
    uint8 internal constant MARKET_HALTED = 22;
    uint8 internal constant MARKET_PAUSED = 23;
    uint8 internal constant TICK_VIOLATION = 30;
    uint8 internal constant LOT_VIOLATION = 31;
    uint8 internal constant PRICE_OUT_OF_BAND = 32;
    uint8 internal constant NO_ORACLE_PRICE = 33;
    uint8 internal constant TOO_MANY_OPEN_ORDERS = 34;
    uint8 internal constant ORDER_NOT_FOUND = 35;
    uint8 internal constant POST_ONLY_WOULD_CROSS = 36;
    uint8 internal constant FOK_NOT_FILLABLE = 37;
    uint8 internal constant BOOK_FULL = 38;
    uint8 internal constant REDUCE_ONLY_WOULD_INCREASE = 39;
    uint8 internal constant INVALID_ORDER = 40;
    uint8 internal constant DUPLICATE_CLIENT_ORDER_ID = 41;
    uint8 internal constant TOO_MANY_ORDERS_IN_BLOCK = 42;
    uint8 internal constant ORACLE_OUT_OF_ORDER = 50;
    uint8 internal constant STALE_ORACLE = 51;
    uint8 internal constant INVALID_PRICE = 52;
    /// What a step returns when its transaction's work goes on in the next step: no receipt yet.
    uint8 internal constant UNDECIDED = 255;
}
