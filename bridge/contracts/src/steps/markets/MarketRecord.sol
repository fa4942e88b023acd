// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {BytesWriter as W} from "./BytesWriter.sol";
import {CalldataReader as R} from "./CalldataReader.sol";
import {MarketStepErrors} from "./MarketStepErrors.sol";

/// @notice A market's parameters as a step reads them; `raw` is their encoding, kept to write the record back.
struct MarketParamsView {
    bytes raw;
    uint64 tickSize;
    uint64 lotSize;
    uint64 sizeScale;
    uint32 initialMarginPpm;
    uint32 maintenanceMarginPpm;
    uint32 makerFeePpm;
    uint32 takerFeePpm;
    uint32 priceBandPpm;
    uint32 maxOpenOrdersPerAccount;
    uint32 fundingIntervalBlocks;
    uint32 fundingCapPpm;
    uint32 liquidationFeePpm;
    uint32 haltMovePpm;
    uint32 haltWindowBlocks;
    uint32 maxBookOrders;
    uint32 maxBookLevels;
    address[] oracleSigners;
}

/// @notice The market record (C# MarketRecord): the engine's record (docs/state.md) then u32 bid levels ‖ u32 ask
/// levels. Engine record: halt u8 ‖ oracle price i64 ‖ oracle timestamp u64 ‖ mark i64 ‖ fee pool i64 ‖ net
/// transfers in i64 ‖ last funding block u64 ‖ halt window start block u64 ‖ halt window start mark i64 ‖
/// parameters ‖ (funding index i64 ‖ funding pool i64, only while either is non-zero).
struct Market {
    uint8 haltReason;
    int256 oraclePrice;
    uint64 oracleTimestamp;
    int256 markPrice;
    int256 feePool;
    int256 netTransfersIn;
    uint64 lastFundingBlock;
    uint64 haltWindowStartBlock;
    int256 haltWindowStartMark;
    MarketParamsView params;
    int256 fundingIndex;
    int256 fundingPool;
    uint32 bidLevels;
    uint32 askLevels;
}

library MarketRecord {
    uint8 internal constant HALT_NONE = 0;
    uint8 internal constant HALT_OPERATOR_PAUSE = 1;
    uint8 internal constant HALT_MARK_MOVE = 2;
    uint8 internal constant HALT_INSOLVENT = 4;

    uint256 private constant FIXED = 65;
    uint256 private constant PARAMS_INTEGERS = 76;
    uint256 private constant MAX_SYMBOL = 16;
    uint256 private constant MAX_SIGNERS = 4;

    function decode(bytes calldata r) internal pure returns (Market memory m) {
        if (r.length <= FIXED + 8) revert MarketStepErrors.BadMarketRecord();
        m.haltReason = uint8(R.u(r, 0, 1));
        m.oraclePrice = R.i64(r, 1);
        m.oracleTimestamp = uint64(R.u(r, 9, 8));
        m.markPrice = R.i64(r, 17);
        m.feePool = R.i64(r, 25);
        m.netTransfersIn = R.i64(r, 33);
        m.lastFundingBlock = uint64(R.u(r, 41, 8));
        m.haltWindowStartBlock = uint64(R.u(r, 49, 8));
        m.haltWindowStartMark = R.i64(r, 57);
        uint256 end = r.length - 8;
        uint256 used = FIXED + paramsLength(r, FIXED, end);
        m.params = readParams(r, FIXED);
        if (used + 16 == end) {
            m.fundingIndex = R.i64(r, used);
            m.fundingPool = R.i64(r, used + 8);
        } else if (used != end) {
            revert MarketStepErrors.BadMarketRecord();
        }
        m.bidLevels = uint32(R.u(r, end, 4));
        m.askLevels = uint32(R.u(r, end + 4, 4));
    }

    /// The length of the parameters at `cursor`, which must end by `end`.
    function paramsLength(bytes calldata r, uint256 cursor, uint256 end) internal pure returns (uint256 length) {
        if (cursor >= end) revert MarketStepErrors.BadMarketRecord();
        uint256 symbol = R.u(r, cursor, 1);
        if (symbol == 0 || symbol > MAX_SYMBOL || cursor + 1 + symbol + PARAMS_INTEGERS + 1 > end) {
            revert MarketStepErrors.BadMarketRecord();
        }
        uint256 signers = R.u(r, cursor + 1 + symbol + PARAMS_INTEGERS, 1);
        length = 1 + symbol + PARAMS_INTEGERS + 1 + signers * 20;
        if (signers > MAX_SIGNERS || cursor + length > end) revert MarketStepErrors.BadMarketRecord();
    }

    /// The parameters at `cursor` (their length checked by `paramsLength`).
    function readParams(bytes calldata r, uint256 cursor) internal pure returns (MarketParamsView memory p) {
        uint256 symbol = R.u(r, cursor, 1);
        uint256 i = cursor + 1 + symbol;
        p.tickSize = uint64(R.u(r, i, 8));
        p.lotSize = uint64(R.u(r, i + 8, 8));
        p.sizeScale = uint64(R.u(r, i + 16, 8));
        i += 24;
        p.initialMarginPpm = uint32(R.u(r, i, 4));
        p.maintenanceMarginPpm = uint32(R.u(r, i + 4, 4));
        p.makerFeePpm = uint32(R.u(r, i + 8, 4));
        p.takerFeePpm = uint32(R.u(r, i + 12, 4));
        p.priceBandPpm = uint32(R.u(r, i + 16, 4));
        p.maxOpenOrdersPerAccount = uint32(R.u(r, i + 20, 4));
        p.fundingIntervalBlocks = uint32(R.u(r, i + 24, 4));
        p.fundingCapPpm = uint32(R.u(r, i + 28, 4));
        p.liquidationFeePpm = uint32(R.u(r, i + 32, 4));
        p.haltMovePpm = uint32(R.u(r, i + 36, 4));
        p.haltWindowBlocks = uint32(R.u(r, i + 40, 4));
        p.maxBookOrders = uint32(R.u(r, i + 44, 4));
        p.maxBookLevels = uint32(R.u(r, i + 48, 4));
        i += 52;
        uint256 signers = R.u(r, i, 1);
        p.oracleSigners = new address[](signers);
        for (uint256 s = 0; s < signers; s++) {
            p.oracleSigners[s] = R.addr(r, i + 1 + s * 20);
        }
        p.raw = r[cursor:i + 1 + signers * 20];
    }

    function encode(Market memory m) internal pure returns (bytes memory out) {
        bool hasFunding = m.fundingIndex != 0 || m.fundingPool != 0;
        uint256 paramsEnd = FIXED + m.params.raw.length;
        out = new bytes(paramsEnd + (hasFunding ? 16 : 0) + 8);
        W.put(out, 0, m.haltReason, 1);
        W.put(out, 1, uint64(int64(m.oraclePrice)), 8);
        W.put(out, 9, m.oracleTimestamp, 8);
        W.put(out, 17, uint64(int64(m.markPrice)), 8);
        W.put(out, 25, uint64(int64(m.feePool)), 8);
        W.put(out, 33, uint64(int64(m.netTransfersIn)), 8);
        W.put(out, 41, m.lastFundingBlock, 8);
        W.put(out, 49, m.haltWindowStartBlock, 8);
        W.put(out, 57, uint64(int64(m.haltWindowStartMark)), 8);
        W.copy(out, FIXED, m.params.raw);
        uint256 cursor = paramsEnd;
        if (hasFunding) {
            W.put(out, cursor, uint64(int64(m.fundingIndex)), 8);
            W.put(out, cursor + 8, uint64(int64(m.fundingPool)), 8);
            cursor += 16;
        }
        W.put(out, cursor, m.bidLevels, 4);
        W.put(out, cursor + 4, m.askLevels, 4);
    }

    function levels(Market memory m, bool bids) internal pure returns (uint32) {
        return bids ? m.bidLevels : m.askLevels;
    }

    function setLevels(Market memory m, bool bids, uint32 value) internal pure {
        if (bids) m.bidLevels = value;
        else m.askLevels = value;
    }
}
