// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {AccountsStepKeys as Keys} from "../AccountsStepKeys.sol";
import {Transaction, TransactionDecoder, TxKind} from "../TransactionDecoder.sol";
import {CalldataReader as R} from "./CalldataReader.sol";
import {MarketStepErrors as E} from "./MarketStepErrors.sol";
import {MarketStepRun, Run} from "./MarketStepRun.sol";
import {MarketPhase, MarketWitness} from "./MarketStepTypes.sol";

/// @notice A routed message opened (C# MarketMessageStep): the transaction the accounts domain routed to this market
/// as message j of the block, proven in its outbox and in the batch's transactions.
struct Message {
    uint64 sequence;
    uint32 txIndex;
    uint32 slot; // the transaction's first order slot in the block
    uint256 txLeaf; // the input leaf holding the transaction
    Transaction tx;
}

library MarketMessageStep {
    /// The inbox's next message and its transaction's leaf, not decoded; `found` false, and the step is InboxEnd,
    /// when there is none. Each prover decodes the kinds it runs, so that none carries every kind's decoder.
    function route(Run memory r, MarketWitness calldata w) internal pure returns (bool found, Message memory msg_) {
        uint256 i =
            MarketStepRun.readInput(r, w, r.ctx.accountsOutboxRoot, Keys.outboxMessage(r.s.market, r.s.block, r.s.nextMessage));
        bytes calldata routed = w.inputs[i].record;
        if (routed.length == 0) {
            r.s.phase = MarketPhase.MARK;
            return (false, msg_);
        }
        if (routed.length != 16) revert E.BadRoutedMessage();
        msg_.sequence = uint64(R.u(routed, 0, 8));
        msg_.txIndex = uint32(R.u(routed, 8, 4));
        msg_.slot = uint32(R.u(routed, 12, 4));
        msg_.txLeaf = MarketStepRun.readInput(r, w, r.ctx.txRoot, Keys.ofU64(msg_.sequence));
        r.s.nextMessage += 1;
        return (true, msg_);
    }

    /// The inbox's next message with its transaction decoded (any kind but a bulk's, which the bulk prover opens).
    function open(Run memory r, MarketWitness calldata w) internal pure returns (bool found, Message memory msg_) {
        (found, msg_) = route(r, w);
        if (!found) return (false, msg_);
        bytes calldata record = w.inputs[msg_.txLeaf].record;
        if (record.length > 0 && uint8(record[0]) == TxKind.BULK) revert E.NotThisProversStep();
        msg_.tx = TransactionDecoder.decode(record);
        requireForThisMarket(r, msg_.sequence, msg_.tx.kind, msg_.tx.market);
    }

    /// The next message, which must be a PlaceOrder (the order prover's decoder, without the other kinds' code).
    function openOrder(Run memory r, MarketWitness calldata w) internal pure returns (Message memory msg_) {
        bool found;
        (found, msg_) = route(r, w);
        if (!found) revert E.NotThisProversStep();
        bytes calldata record = w.inputs[msg_.txLeaf].record;
        if (record.length == 0 || uint8(record[0]) != TxKind.PLACE_ORDER) revert E.NotThisProversStep();
        msg_.tx = TransactionDecoder.decodeFixedKind(record);
        requireForThisMarket(r, msg_.sequence, TxKind.PLACE_ORDER, msg_.tx.market);
    }

    /// A routed transaction is of a market kind for this market, which exists unless the transaction creates it.
    function requireForThisMarket(Run memory r, uint64 sequence, uint8 kind, uint32 market) internal pure {
        if (market != r.s.market || kind == TxKind.DEPOSIT || kind == TxKind.WITHDRAW) {
            revert E.NotThisMarketsTransaction(sequence);
        }
        if (kind != TxKind.CREATE_MARKET && !r.marketExists) revert E.MarketMissing(r.s.market);
    }
}
