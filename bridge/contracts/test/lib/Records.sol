// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice L2 state records laid out field by field as docs/state.md lists them (big-endian; abi.encodePacked
/// writes intN/uintN that way), so the contract's fixed offsets are checked against a sequential layout.
library Records {
    function account(int64 freeBalance, uint64 highestNonce, uint64 usedBitmap) internal pure returns (bytes memory) {
        return abi.encodePacked(freeBalance, highestNonce, usedBitmap);
    }

    function position(int64 size, int64 collateral) internal pure returns (bytes memory) {
        return abi.encodePacked(size, collateral);
    }

    function position(int64 size, int64 collateral, int64 settledFundingIndex) internal pure returns (bytes memory) {
        return abi.encodePacked(size, collateral, settledFundingIndex);
    }

    /// A market record with the funding index and pool at its end.
    function marketWithFunding(int64 markPrice, string memory symbol, uint64 sizeScale, uint8 signerCount, int64 index)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(market(markPrice, symbol, sizeScale, signerCount), index, int64(-888));
    }

    /// A market record with the given mark price, symbol and size scale; the other fields are filler
    /// chosen to differ from the fields the contract reads.
    function market(int64 markPrice, string memory symbol, uint64 sizeScale, uint8 signerCount)
        internal
        pure
        returns (bytes memory)
    {
        bytes memory head = abi.encodePacked(
            uint8(0), // halt reason
            int64(-111), // oracle price
            uint64(222), // oracle timestamp
            markPrice,
            int64(-333), // fee pool
            int64(444), // net transfers in
            uint64(555), // last funding block
            uint64(666), // halt window start block
            int64(-777) // halt window start mark
        );
        bytes memory params = abi.encodePacked(
            uint8(bytes(symbol).length),
            symbol,
            uint64(10), // tickSize
            uint64(1000), // lotSize
            sizeScale
        );
        bytes memory rest;
        for (uint256 i = 0; i < 13; i++) {
            rest = abi.encodePacked(rest, uint32(0xfeed0000 + i)); // the u32 parameters
        }
        rest = abi.encodePacked(rest, signerCount);
        for (uint256 i = 0; i < signerCount; i++) {
            rest = abi.encodePacked(rest, address(uint160(0x5160 + i)));
        }
        return abi.encodePacked(head, params, rest);
    }

    function accountKey(address who) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(who));
    }

    function marketRecordKey() internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(uint8(0x00)));
    }

    function positionKey(address who) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(uint8(0x01), who));
    }

    function marketRootKey(uint32 market_) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(market_));
    }

    function withdrawalKey(uint64 l2Block, uint32 txIndex) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(l2Block, txIndex));
    }

    function withdrawalValue(address account_, int64 amount) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(account_, amount));
    }
}
