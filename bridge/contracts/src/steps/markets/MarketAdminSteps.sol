// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Transaction} from "../TransactionDecoder.sol";
import {TxStatus} from "../TxStatus.sol";
import {Market, MarketRecord} from "./MarketRecord.sol";
import {MarketRules} from "./MarketRules.sol";
import {MarketStepErrors as E} from "./MarketStepErrors.sol";
import {BookEntry, MarketStepRun, Run} from "./MarketStepRun.sol";
import {MarketWitness} from "./MarketStepTypes.sol";
import {MarketStatus} from "./MarketStatus.sol";

/// @notice The market's own administration as messages (C# MarketAdminSteps): creation, parameters, pause and
/// resume, oracle prices.
library MarketAdminSteps {
    /// kind ‖ account ‖ market: where a market-admin transaction's parameters start.
    uint256 private constant PARAMS_AT = 25;
    uint64 private constant ORACLE_MAX_AGE_MS = 60_000;
    uint64 private constant ORACLE_MAX_LEAD_MS = 5_000;

    function create(Run memory r, bytes calldata txRecord) internal pure returns (uint8) {
        if (r.marketExists) revert E.MarketCreatedTwice(r.s.market);
        Market memory m;
        m.params = MarketRecord.readParams(txRecord, PARAMS_AT);
        r.m = m;
        r.marketExists = true;
        return TxStatus.ACCEPTED;
    }

    /// The book's bounds and the contract's units are fixed at creation: resting orders depend on them.
    function setParams(Run memory r, Transaction memory t, bytes calldata txRecord) internal pure returns (uint8) {
        Market memory m = r.m;
        if (
            t.params.tickSize != m.params.tickSize || t.params.lotSize != m.params.lotSize
                || t.params.sizeScale != m.params.sizeScale || t.params.maxBookOrders != m.params.maxBookOrders
                || t.params.maxBookLevels != m.params.maxBookLevels
        ) return TxStatus.INVALID_MARKET_PARAMS;
        m.params = MarketRecord.readParams(txRecord, PARAMS_AT);
        return TxStatus.ACCEPTED;
    }

    function pause(Run memory r) internal pure returns (uint8) {
        if (r.m.haltReason == MarketRecord.HALT_NONE) r.m.haltReason = MarketRecord.HALT_OPERATOR_PAUSE;
        return TxStatus.ACCEPTED;
    }

    /// Lifts a pause or a breaker halt; the breaker's window restarts from the current mark.
    function resume(Run memory r) internal pure returns (uint8) {
        r.m.haltReason = MarketRecord.HALT_NONE;
        r.m.haltWindowStartMark = 0;
        return TxStatus.ACCEPTED;
    }

    function oracle(Run memory r, MarketWitness calldata w, Transaction memory t) internal pure returns (uint8) {
        Market memory m = r.m;
        bool signer;
        for (uint256 i = 0; i < m.params.oracleSigners.length; i++) {
            signer = signer || m.params.oracleSigners[i] == t.account;
        }
        if (!signer) return MarketStatus.NOT_ORACLE_SIGNER;
        if (t.price == 0 || t.price > uint64(type(int64).max) / 2 || t.price % m.params.tickSize != 0) {
            return MarketStatus.INVALID_PRICE;
        }
        if (t.timestamp <= m.oracleTimestamp) return MarketStatus.ORACLE_OUT_OF_ORDER;
        uint256 blockTime = r.s.timestamp;
        if (uint256(t.timestamp) + ORACLE_MAX_AGE_MS < blockTime || t.timestamp > blockTime + ORACLE_MAX_LEAD_MS) {
            return MarketStatus.STALE_ORACLE;
        }
        // Margin checks later in the block see the new price; the breaker looks at the end of the block.
        (bool hasBid, BookEntry memory bid) = MarketStepRun.best(r, w, true);
        (bool hasAsk, BookEntry memory ask) = MarketStepRun.best(r, w, false);
        m.oraclePrice = int256(uint256(t.price));
        m.oracleTimestamp = t.timestamp;
        m.markPrice = MarketRules.mark(m.oraclePrice, hasBid, bid.price, hasAsk, ask.price);
        return TxStatus.ACCEPTED;
    }
}
