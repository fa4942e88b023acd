// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Transaction, TxKind} from "../TransactionDecoder.sol";
import {TxStatus} from "../TxStatus.sol";
import {CancelAllWork, MarketPending} from "./MarketPending.sol";
import {MarketStatus} from "./MarketStatus.sol";
import {MarketStepErrors as E} from "./MarketStepErrors.sol";
import {MarketStepRun, PositionAt, Run} from "./MarketStepRun.sol";
import {MarketWitness} from "./MarketStepTypes.sol";
import {ListedOrder, PositionLeaf} from "./PositionLeaf.sol";

/// @notice Cancels (C# MarketCancelSteps): one order by id or client id, found in its owner's position leaf, and
/// cancel-all, up to C orders a step.
library MarketCancelSteps {
    function cancel(Run memory r, MarketWitness calldata w, Transaction memory t) internal pure returns (uint8) {
        PositionAt memory owner = MarketStepRun.readPosition(r, w, t.account);
        uint256 index = t.kind == TxKind.CANCEL_ORDER_BY_CLIENT_ID
            ? PositionLeaf.indexOfClientOrder(owner.leaf, t.clientOrderId)
            : PositionLeaf.indexOfOrder(owner.leaf, t.orderId);
        if (index == type(uint256).max) return MarketStatus.ORDER_NOT_FOUND;
        ListedOrder memory order = owner.leaf.orders[index];
        MarketStepRun.removeOrder(r, w, MarketStepRun.entryOf(order, t.account));
        PositionLeaf.removeOrderAt(owner.leaf, index);
        MarketStepRun.writePosition(r, w, owner);
        return TxStatus.ACCEPTED;
    }

    /// Cancels up to C of the account's orders in id order; the rest waits in the pending work.
    function cancelAll(Run memory r, MarketWitness calldata w, CancelAllWork memory work, bool first) internal pure returns (uint8) {
        PositionAt memory owner = MarketStepRun.readPosition(r, w, work.account);
        if (!owner.existed) {
            if (first) return TxStatus.ACCEPTED;
            revert E.PendingCancelAllHasNoPosition();
        }
        uint256 cancelled;
        while (owner.leaf.orders.length > 0 && cancelled < r.ctx.cancelsPerStep) {
            ListedOrder memory order = owner.leaf.orders[0];
            MarketStepRun.removeOrder(r, w, MarketStepRun.entryOf(order, work.account));
            PositionLeaf.removeOrderAt(owner.leaf, 0);
            cancelled++;
        }
        if (cancelled > 0) MarketStepRun.writePosition(r, w, owner);
        if (owner.leaf.orders.length > 0) {
            r.pending = MarketPending.encodeCancelAll(work);
            return MarketStatus.UNDECIDED;
        }
        r.pending = "";
        return TxStatus.ACCEPTED;
    }
}
