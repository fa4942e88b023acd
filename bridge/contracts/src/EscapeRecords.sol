// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Reads the fields the escape hatch needs from L2 state records (docs/state.md, "Tables and
/// records"): big-endian, fixed width, i64 in two's complement. The records arrive as proven bytes, so
/// these functions only check that the fields they read are there.
library EscapeRecords {
    error BadAccountRecord(uint256 length);
    error BadPositionRecord(uint256 length);
    error BadMarketRecord(uint256 length);

    /// Account: free balance i64 ‖ highest nonce u64 ‖ used-nonce bitmap u64.
    uint256 internal constant ACCOUNT_LENGTH = 24;
    /// Position: size i64 ‖ collateral i64.
    uint256 internal constant POSITION_LENGTH = 16;
    /// Market: halt reason u8 ‖ oracle price i64 ‖ oracle timestamp u64 ‖ mark price i64 ‖ five more
    /// 8-byte fields ‖ symbol length u8 ‖ symbol ‖ tickSize u64 ‖ lotSize u64 ‖ sizeScale u64 ‖ ...
    uint256 internal constant MARK_PRICE_OFFSET = 17;
    uint256 internal constant SYMBOL_LENGTH_OFFSET = 65;
    /// From the end of the symbol: tickSize and lotSize come before sizeScale.
    uint256 internal constant SIZE_SCALE_AFTER_SYMBOL = 16;

    function freeBalance(bytes calldata account) internal pure returns (int64) {
        if (account.length != ACCOUNT_LENGTH) revert BadAccountRecord(account.length);
        return _i64(account, 0);
    }

    function position(bytes calldata record) internal pure returns (int64 size, int64 collateral) {
        if (record.length != POSITION_LENGTH) revert BadPositionRecord(record.length);
        return (_i64(record, 0), _i64(record, 8));
    }

    function markPriceAndSizeScale(bytes calldata market) internal pure returns (int64 markPrice, uint64 sizeScale) {
        if (market.length <= SYMBOL_LENGTH_OFFSET) revert BadMarketRecord(market.length);
        uint256 scaleAt = SYMBOL_LENGTH_OFFSET + 1 + uint8(market[SYMBOL_LENGTH_OFFSET]) + SIZE_SCALE_AFTER_SYMBOL;
        if (market.length < scaleAt + 8) revert BadMarketRecord(market.length);
        return (_i64(market, MARK_PRICE_OFFSET), _u64(market, scaleAt));
    }

    function _u64(bytes calldata record, uint256 offset) private pure returns (uint64) {
        return uint64(bytes8(record[offset:offset + 8]));
    }

    function _i64(bytes calldata record, uint256 offset) private pure returns (int64) {
        return int64(_u64(record, offset));
    }
}
