// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Reads the fields the escape hatch needs from L2 state records (docs/state.md, "Tables and
/// records"): big-endian, fixed width, i64 in two's complement. The records arrive as proven bytes, so
/// these functions only check that the fields they read are there.
library EscapeRecords {
    error BadAccountRecord(uint256 length);
    error BadPositionRecord(uint256 length);
    error BadMarketRecord(uint256 length);

    /// Account: free balance i64 ‖ highest nonce u64 ‖ used-nonce bitmap u64, then while credits are held u8 k ‖
    /// k × 20 bytes (u32 market ‖ u64 block ‖ i64 amount), 1 ≤ k ≤ 8. The held amounts are part of the free balance.
    uint256 internal constant ACCOUNT_LENGTH = 24;
    uint256 internal constant HELD_CREDIT_LENGTH = 20;
    uint256 internal constant MAX_HELD = 8;
    /// Position: size i64 ‖ collateral i64 ‖ settled funding index i64, which is left out when it is 0.
    uint256 internal constant POSITION_LENGTH = 24;
    uint256 internal constant SHORT_POSITION_LENGTH = 16;
    /// Market: halt reason u8 ‖ oracle price i64 ‖ oracle timestamp u64 ‖ mark price i64 ‖ five more
    /// 8-byte fields ‖ symbol length u8 ‖ symbol ‖ tickSize u64 ‖ lotSize u64 ‖ sizeScale u64 ‖ ...
    uint256 internal constant MARK_PRICE_OFFSET = 17;
    uint256 internal constant SYMBOL_LENGTH_OFFSET = 65;
    /// From the end of the symbol: tickSize and lotSize come before sizeScale.
    uint256 internal constant SIZE_SCALE_AFTER_SYMBOL = 16;
    /// After sizeScale: thirteen u32 parameters, then the signer count u8 and 20 bytes a signer.
    uint256 internal constant SIGNER_COUNT_AFTER_SIZE_SCALE = 8 + 13 * 4;
    /// The record may end with funding index i64 ‖ funding pool i64 (left out while both are 0).
    uint256 internal constant FUNDING_LENGTH = 16;

    function freeBalance(bytes calldata account) internal pure returns (int64) {
        uint256 n = account.length;
        if (n != ACCOUNT_LENGTH) {
            if (n < ACCOUNT_LENGTH + 1 + HELD_CREDIT_LENGTH) revert BadAccountRecord(n);
            uint256 k = uint8(account[ACCOUNT_LENGTH]);
            if (k == 0 || k > MAX_HELD || n != ACCOUNT_LENGTH + 1 + k * HELD_CREDIT_LENGTH) revert BadAccountRecord(n);
        }
        return _i64(account, 0);
    }

    function position(bytes calldata record)
        internal
        pure
        returns (int64 size, int64 collateral, int64 settledFundingIndex)
    {
        if (record.length != POSITION_LENGTH && record.length != SHORT_POSITION_LENGTH) {
            revert BadPositionRecord(record.length);
        }
        settledFundingIndex = record.length == POSITION_LENGTH ? _i64(record, 16) : int64(0);
        return (_i64(record, 0), _i64(record, 8), settledFundingIndex);
    }

    function markPriceAndSizeScale(bytes calldata market) internal pure returns (int64 markPrice, uint64 sizeScale) {
        if (market.length <= SYMBOL_LENGTH_OFFSET) revert BadMarketRecord(market.length);
        uint256 scaleAt = SYMBOL_LENGTH_OFFSET + 1 + uint8(market[SYMBOL_LENGTH_OFFSET]) + SIZE_SCALE_AFTER_SYMBOL;
        if (market.length < scaleAt + 8) revert BadMarketRecord(market.length);
        return (_i64(market, MARK_PRICE_OFFSET), _u64(market, scaleAt));
    }

    /// The market's funding index: the record is read to its end, which must be the end of its signers or
    /// that plus the funding fields.
    function fundingIndex(bytes calldata market) internal pure returns (int64) {
        if (market.length <= SYMBOL_LENGTH_OFFSET) revert BadMarketRecord(market.length);
        uint256 countAt = SYMBOL_LENGTH_OFFSET + 1 + uint8(market[SYMBOL_LENGTH_OFFSET]) + SIZE_SCALE_AFTER_SYMBOL
            + SIGNER_COUNT_AFTER_SIZE_SCALE;
        if (market.length <= countAt) revert BadMarketRecord(market.length);
        uint256 end = countAt + 1 + 20 * uint256(uint8(market[countAt]));
        if (market.length == end) return 0;
        if (market.length != end + FUNDING_LENGTH) revert BadMarketRecord(market.length);
        return _i64(market, end);
    }

    function _u64(bytes calldata record, uint256 offset) private pure returns (uint64) {
        return uint64(bytes8(record[offset:offset + 8]));
    }

    function _i64(bytes calldata record, uint256 offset) private pure returns (int64) {
        return int64(_u64(record, offset));
    }
}
