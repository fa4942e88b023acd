// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Transaction} from "../TransactionDecoder.sol";
import {TxStatus} from "../TxStatus.sol";
import {MarketStatus} from "./MarketStatus.sol";
import {MarketStepRun, PositionAt, Run} from "./MarketStepRun.sol";
import {MarketWitness} from "./MarketStepTypes.sol";

/// @notice Collateral moving between an account's free balance and its position here (C# MarketMarginSteps).
library MarketMarginSteps {
    /// Credits collateral the accounts domain already took from the free balance.
    function moveIn(Run memory r, MarketWitness calldata w, Transaction memory t) internal pure returns (uint8) {
        PositionAt memory p = MarketStepRun.readPosition(r, w, t.account);
        MarketStepRun.settleFunding(r, p.leaf);
        int256 amount = int256(uint256(t.amount));
        p.leaf.collateral += amount;
        r.m.netTransfersIn += amount;
        MarketStepRun.writePosition(r, w, p);
        return TxStatus.ACCEPTED;
    }

    /// Moves collateral out if what stays covers the initial margin at the mark; the amount goes back to the
    /// accounts domain as a margin reply.
    function moveOut(Run memory r, MarketWitness calldata w, Transaction memory t, uint32 txIndex) internal pure returns (uint8) {
        PositionAt memory p = MarketStepRun.readPosition(r, w, t.account);
        if (!p.existed || t.amount > uint64(type(int64).max)) return MarketStatus.INSUFFICIENT_MARGIN;
        int256 amount = int256(uint256(t.amount));
        int256 markPrice = r.m.markPrice == 0 ? r.m.oraclePrice : r.m.markPrice;
        if (MarketStepRun.equityAt(r, p.leaf, markPrice) - amount < MarketStepRun.initialRequirement(r, p.leaf, markPrice, 0)) {
            return MarketStatus.INSUFFICIENT_MARGIN;
        }
        MarketStepRun.settleFunding(r, p.leaf);
        p.leaf.collateral -= amount;
        r.m.netTransfersIn -= amount;
        MarketStepRun.writePosition(r, w, p);
        MarketStepRun.reply(r, w, txIndex, t.account, amount);
        return TxStatus.ACCEPTED;
    }
}
