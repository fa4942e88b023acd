// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "./IRollupSettlement.sol";
import {SparseMerkleProof} from "./SparseMerkleProof.sol";
import {EscapeRecords} from "./EscapeRecords.sol";

/// @notice What an account is owed by the escape hatch, from its proven state at the escape root:
/// max(0, free balance) + Σ over the proven markets of max(0, collateral − funding owed + size·markPrice/sizeScale),
/// funding owed being size·(index − settled index)/10^9, rounded up when positive and toward zero when negative
/// (docs/execution.md#funding).
library EscapeValuation {
    /// Tree keys of docs/state.md: market record keccak256(0x00), position keccak256(0x01 ‖ address).
    bytes32 internal constant MARKET_RECORD_KEY = keccak256(hex"00");
    bytes1 internal constant POSITION_KEY_TAG = 0x01;

    function owed(
        address account,
        bytes32 stateRoot,
        bytes calldata accountRecord,
        bytes32[] calldata accountSiblings,
        bytes32 marketsRoot,
        IRollupSettlement.MarketProof[] calldata markets
    ) internal pure returns (uint256 total) {
        bytes32 accountsRoot =
            SparseMerkleProof.root(keccak256(abi.encodePacked(account)), keccak256(accountRecord), accountSiblings);
        bytes32 proven = keccak256(abi.encodePacked(accountsRoot, marketsRoot));
        if (proven != stateRoot) revert IRollupSettlement.StateRootMismatch(stateRoot, proven);

        total = _positive(EscapeRecords.freeBalance(accountRecord));
        bytes32 positionKey = keccak256(abi.encodePacked(POSITION_KEY_TAG, account));
        for (uint256 i = 0; i < markets.length; i++) {
            if (i > 0 && markets[i].market <= markets[i - 1].market) {
                revert IRollupSettlement.MarketsNotIncreasing(markets[i - 1].market, markets[i].market);
            }
            total += _positionEquity(markets[i], positionKey, marketsRoot);
        }
    }

    function _positionEquity(IRollupSettlement.MarketProof calldata p, bytes32 positionKey, bytes32 marketsRoot)
        private
        pure
        returns (uint256)
    {
        bytes32 marketTree = SparseMerkleProof.root(MARKET_RECORD_KEY, keccak256(p.marketRecord), p.marketRecordSiblings);
        if (SparseMerkleProof.root(positionKey, keccak256(p.positionRecord), p.positionSiblings) != marketTree) {
            revert IRollupSettlement.MarketTreeMismatch(p.market);
        }
        // In the market-roots tree a market's value hash is its tree's root itself.
        bytes32 marketKey = keccak256(abi.encodePacked(p.market));
        if (SparseMerkleProof.root(marketKey, marketTree, p.marketRootSiblings) != marketsRoot) {
            revert IRollupSettlement.MarketsRootMismatch(p.market);
        }

        (int64 markPrice, uint64 sizeScale) = EscapeRecords.markPriceAndSizeScale(p.marketRecord);
        if (sizeScale == 0) revert IRollupSettlement.ZeroSizeScale(p.market);
        (int64 size, int64 collateral, int64 settledIndex) = EscapeRecords.position(p.positionRecord);
        int256 owedFunding = _fundingOwed(size, EscapeRecords.fundingIndex(p.marketRecord), settledIndex);
        // int256 holds i64·i64 exactly; Solidity's signed division truncates toward zero like the L2's.
        return _positive(
            int256(collateral) - owedFunding + int256(size) * int256(markPrice) / int256(uint256(sizeScale))
        );
    }

    int256 private constant FUNDING_SCALE = 1e9;

    function _fundingOwed(int64 size, int64 index, int64 settledIndex) private pure returns (int256) {
        int256 exact = int256(size) * (int256(index) - int256(settledIndex));
        if (exact > 0) return (exact + FUNDING_SCALE - 1) / FUNDING_SCALE;
        return exact / FUNDING_SCALE;
    }

    function _positive(int256 value) private pure returns (uint256) {
        return value > 0 ? uint256(value) : 0;
    }
}
