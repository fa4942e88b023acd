// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Leaf} from "../AccountsStepTypes.sol";
import {AccountsStepKeys as Keys} from "../AccountsStepKeys.sol";
import {OrderedTree} from "../OrderedTree.sol";
import {SparseMerkleLeaf} from "../SparseMerkleLeaf.sol";
import {FundingMath} from "./FundingMath.sol";
import {MarginMath} from "./MarginMath.sol";
import {Market, MarketRecord} from "./MarketRecord.sol";
import {MarketLeaves} from "./MarketLeaves.sol";
import {MarketStepErrors as E} from "./MarketStepErrors.sol";
import {MarketBytes, MarketState, MarketStepContext, MarketTree, MarketWitness, OrderedLeaf} from "./MarketStepTypes.sol";
import {ListedOrder, Position, PositionLeaf} from "./PositionLeaf.sol";
import {RiskKey} from "./RiskKey.sol";

/// @notice One market step at work (C# MarketStepRun): the state as it changes, the decoded record, the pending
/// work, and where each witness stream has been read to.
struct Run {
    MarketState s;
    MarketStepContext ctx;
    bool marketExists;
    Market m;
    bytes pending;
    uint256 nextInput;
    uint256 nextOrdered;
}

/// @notice A position a step read (C# PositionAt): its decoded leaf as the step changes it, the witness leaf it was
/// last read from, the value hash it holds in the tree now, and its risk leaf.
struct PositionAt {
    address account;
    bytes32 key;
    Position leaf;
    bool existed;
    uint256 readIndex;
    bytes32 heldValueHash;
    bytes32 rootAtRead;
    bool written;
    bool hasRisk;
    bool riskIsLong;
    bytes32 riskKey;
}

/// @notice A resting order read from the book (C# BookEntry).
struct BookEntry {
    bool isBuy;
    int256 price;
    uint64 orderId;
    address account;
    bool reduceOnly;
    int256 size;
}

/// @notice The primitives every market step kind is made of (C# MarketStepRun): reads of the witness against the
/// state's current roots, position and risk writes, the book, replies and receipts. Each write's new root comes
/// from the proof its key was read with, checked against the root it is written into.
library MarketStepRun {
    // ---- the run ----

    function start(MarketState memory pre, MarketBytes calldata bytes_, MarketStepContext calldata ctx)
        internal
        pure
        returns (Run memory r)
    {
        if (_hashOf(bytes_.record) != pre.recordHash) revert E.RecordNotTheStates();
        if (_hashOf(bytes_.pending) != pre.pendingHash) revert E.PendingNotTheStates();
        r.s = pre;
        r.ctx = ctx;
        r.pending = bytes_.pending;
        if (bytes_.record.length > 0) {
            r.marketExists = true;
            r.m = MarketRecord.decode(bytes_.record);
        }
    }

    /// The state after the step, with the record and pending work it commits to; the witness must be read whole.
    function finish(Run memory r, MarketWitness calldata w) internal pure returns (MarketState memory, MarketBytes memory out) {
        if (r.nextInput != w.inputs.length || r.nextOrdered != w.ordered.length) {
            revert E.WitnessTooLong(r.nextInput, r.nextOrdered);
        }
        if (r.marketExists) out.record = MarketRecord.encode(r.m);
        out.pending = r.pending;
        r.s.recordHash = _hashOfMemory(out.record);
        r.s.pendingHash = _hashOfMemory(out.pending);
        return (r.s, out);
    }

    function market(Run memory r) internal pure returns (Market memory) {
        if (!r.marketExists) revert E.MarketMissing(r.s.market);
        return r.m;
    }

    function isCancelOnly(Run memory r) internal pure returns (bool) {
        return market(r).haltReason != MarketRecord.HALT_NONE;
    }

    // ---- input leaves (sparse Merkle trees) ----

    /// The next input leaf, proven at `key` under `root`; returns its index.
    function readInput(Run memory r, MarketWitness calldata w, bytes32 root, bytes32 key) internal pure returns (uint256 i) {
        i = r.nextInput++;
        if (i >= w.inputs.length) revert E.WitnessTooShort(0, i);
        Leaf calldata leaf = w.inputs[i];
        (bool ok, bytes32 computed) =
            SparseMerkleLeaf.rootOf(key, _hashOf(leaf.record), leaf.siblings, leaf.otherKey, leaf.otherValueHash);
        if (!ok || computed != root) revert E.BadInputProof(i);
    }

    /// A margin reply to the accounts domain for the block's transaction `txIndex`.
    function reply(Run memory r, MarketWitness calldata w, uint32 txIndex, address account, int256 amount) internal pure {
        bytes32 key = Keys.blockTx(r.s.block, txIndex);
        uint256 i = readInput(r, w, r.s.outbox, key);
        Leaf calldata leaf = w.inputs[i];
        if (leaf.record.length != 0) revert E.ReplyExists(txIndex);
        (bool ok, bytes32 before, bytes32 afterWrite) = SparseMerkleLeaf.rootsOfWrite(
            key, bytes32(0), Keys.accountAmountHash(account, int64(amount)), leaf.siblings, leaf.otherKey, leaf.otherValueHash
        );
        if (!ok || before != r.s.outbox) revert E.BadInputProof(i);
        r.s.outbox = afterWrite;
    }

    function decide(Run memory r, uint64 sequence, uint8 status) internal pure {
        r.s.receipts = keccak256(abi.encodePacked(r.s.receipts, sequence, status));
    }

    // ---- ordered leaves ----

    /// The next ordered leaf, which must be what tree `tree` holds at `key` now; returns its index and presence.
    function read(Run memory r, MarketWitness calldata w, uint8 tree, bytes32 key) internal pure returns (uint256 i, bool present) {
        i = _nextOrdered(r, w);
        OrderedLeaf calldata leaf = w.ordered[i];
        if (leaf.key != key) revert E.BadOrderedProof(i);
        present = _proves(r, leaf, i, tree);
    }

    /// The tree's leftmost (`first`) or rightmost leaf; `found` false, and no leaf read, when the tree is empty.
    function readEdge(Run memory r, MarketWitness calldata w, uint8 tree, bool first) internal pure returns (bool found, uint256 i) {
        if (rootCountSize(r.s, tree) >> 128 == 0) return (false, 0);
        i = _nextOrdered(r, w);
        OrderedLeaf calldata leaf = w.ordered[i];
        if (!_proves(r, leaf, i, tree)) revert E.NotEdgeLeaf(i);
        bool edge = first ? OrderedTree.isLeftmost(leaf.proof, leaf.key) : OrderedTree.isRightmost(leaf.proof, leaf.key);
        if (!edge) revert E.NotEdgeLeaf(i);
        return (true, i);
    }

    /// Writes `key` (read as leaf `i`) with `valueHash` and `size` into `tree`.
    function write(Run memory r, MarketWitness calldata w, uint8 tree, uint256 i, bytes32 key, bytes32 valueHash, uint256 size)
        internal
        pure
    {
        (bytes32 before, bytes32 h, uint256 count, uint256 total) =
            OrderedTree.rootsOfWrite(w.ordered[i].proof, key, valueHash, uint64(size));
        if (before != rootHash(r.s, tree)) revert E.BadOrderedProof(i);
        setRoot(r.s, tree, h, count << 128 | total);
    }

    /// Deletes `key` (read present as leaf `i`) from `tree`.
    function remove(Run memory r, MarketWitness calldata w, uint8 tree, uint256 i, bytes32 key) internal pure {
        (bytes32 before, bytes32 h, uint256 count, uint256 total) = OrderedTree.rootsOfDelete(w.ordered[i].proof, key);
        if (before != rootHash(r.s, tree)) revert E.BadOrderedProof(i);
        setRoot(r.s, tree, h, count << 128 | total);
    }

    function leafSize(MarketWitness calldata w, uint256 i) internal pure returns (uint256) {
        return w.ordered[i].proof.leafSize;
    }

    // ---- positions ----

    function readPosition(Run memory r, MarketWitness calldata w, address account) internal pure returns (PositionAt memory p) {
        p.account = account;
        p.key = MarketLeaves.positionKey(account);
        bool present;
        (p.readIndex, present) = read(r, w, MarketTree.POSITIONS, p.key);
        bytes calldata record = w.ordered[p.readIndex].record;
        p.leaf = PositionLeaf.decode(record);
        if (present && PositionLeaf.isEmpty(p.leaf)) revert E.EmptyPositionLeaf();
        p.existed = present;
        p.heldValueHash = _hashOf(record);
        p.rootAtRead = r.s.positions;
        (p.hasRisk, p.riskIsLong, p.riskKey) = _riskOf(account, p.leaf);
    }

    /// Writes the position back (its leaf deleted once it holds nothing) and moves its risk leaf if its key
    /// changed. A position written once, or whose tree changed since it was read, is proven afresh.
    function writePosition(Run memory r, MarketWitness calldata w, PositionAt memory p) internal pure {
        uint256 i = p.readIndex;
        bool present = p.existed;
        if (p.written || r.s.positions != p.rootAtRead) {
            (i, present) = read(r, w, MarketTree.POSITIONS, p.key);
            if (_hashOf(w.ordered[i].record) != p.heldValueHash) revert E.PositionChangedUnderStep();
        }
        bool empty = PositionLeaf.isEmpty(p.leaf);
        bytes32 valueHash;
        if (!empty) {
            valueHash = keccak256(PositionLeaf.encode(p.leaf));
            write(r, w, MarketTree.POSITIONS, i, p.key, valueHash, 0);
        } else if (present) {
            remove(r, w, MarketTree.POSITIONS, i, p.key);
        }
        (bool hasRisk, bool isLong, bytes32 riskKey) = _riskOf(p.account, p.leaf);
        if (hasRisk != p.hasRisk || isLong != p.riskIsLong || riskKey != p.riskKey) {
            if (p.hasRisk) _deleteRisk(r, w, p.riskIsLong, p.riskKey);
            if (hasRisk) _insertRisk(r, w, isLong, riskKey, _abs(p.leaf.size));
        }
        p.heldValueHash = valueHash;
        p.written = true;
        (p.hasRisk, p.riskIsLong, p.riskKey) = (hasRisk, isLong, riskKey);
    }

    /// Books the funding a position owes since it last settled into its collateral and the market's pool.
    function settleFunding(Run memory r, Position memory p) internal pure {
        int256 index = r.m.fundingIndex;
        if (p.settledFundingIndex == index) return;
        int256 owed = FundingMath.owed(p.size, index, p.settledFundingIndex);
        p.settledFundingIndex = index;
        if (owed == 0) return;
        p.collateral -= owed;
        r.m.fundingPool += owed;
    }

    /// Equity at `price` with the funding owed counted as if settled.
    function equityAt(Run memory r, Position memory p, int256 price) internal pure returns (int256) {
        return p.collateral - FundingMath.owed(p.size, r.m.fundingIndex, p.settledFundingIndex)
            + MarginMath.notional(price, p.size, r.m.params.sizeScale);
    }

    /// Initial margin of the position, its resting orders and `extraOrderValue` (price·size of an order placed).
    function initialRequirement(Run memory r, Position memory p, int256 markPrice, int256 extraOrderValue)
        internal
        pure
        returns (int256)
    {
        int256 exposure = markPrice * _abs(p.size) + PositionLeaf.openOrderValue(p) + extraOrderValue;
        return MarginMath.fractionUp(exposure / int256(uint256(r.m.params.sizeScale)), r.m.params.initialMarginPpm);
    }

    // ---- the book ----

    /// The best resting order of a side (the leftmost leaf of its tree); `found` false when the side is empty.
    function best(Run memory r, MarketWitness calldata w, bool bids) internal pure returns (bool found, BookEntry memory e) {
        uint256 i;
        (found, i) = readEdge(r, w, bids ? MarketTree.BIDS : MarketTree.ASKS, true);
        if (!found) return (false, e);
        OrderedLeaf calldata leaf = w.ordered[i];
        bytes calldata record = leaf.record;
        uint256 size = leaf.proof.leafSize;
        if (record.length != 21 || uint8(record[20]) > 1 || uint128(uint256(leaf.key)) != 0) revert E.BadBookLeaf();
        if (size == 0 || size > uint256(uint64(type(int64).max))) revert E.BadBookLeaf();
        e.isBuy = bids;
        e.price = MarketLeaves.bookPrice(bids, leaf.key);
        e.orderId = MarketLeaves.bookOrderId(leaf.key);
        e.account = address(bytes20(record[0:20]));
        e.reduceOnly = uint8(record[20]) == 1;
        e.size = int256(size);
    }

    /// How many orders rest at `price` on a side: two boundary paths, before price ‖ 0 and before price ‖ 2^64 − 1.
    function ordersAtPrice(Run memory r, MarketWitness calldata w, bool bids, int256 price) internal pure returns (uint256) {
        uint8 tree = bids ? MarketTree.BIDS : MarketTree.ASKS;
        bytes32 low = MarketLeaves.bookKey(bids, price, 0);
        bytes32 high = MarketLeaves.bookKey(bids, price, type(uint64).max);
        (uint256 below,) = read(r, w, tree, low);
        (uint256 through,) = read(r, w, tree, high);
        (uint256 countThrough,) = OrderedTree.prefixCountAndSize(w.ordered[through].proof, high);
        (uint256 countBelow,) = OrderedTree.prefixCountAndSize(w.ordered[below].proof, low);
        return countThrough - countBelow;
    }

    /// The size resting on the other side at prices a taker at `limit` trades with: one boundary path.
    function sizeCrossing(Run memory r, MarketWitness calldata w, bool takerIsBuy, int256 limit) internal pure returns (uint256 size) {
        bytes32 boundary = MarketLeaves.bookKey(!takerIsBuy, limit, type(uint64).max);
        (uint256 i,) = read(r, w, takerIsBuy ? MarketTree.ASKS : MarketTree.BIDS, boundary);
        (, size) = OrderedTree.prefixCountAndSize(w.ordered[i].proof, boundary);
    }

    /// Rests `o` in the book, opening its price level if it is the level's first order.
    function insertOrder(Run memory r, MarketWitness calldata w, BookEntry memory o) internal pure {
        bool opens = ordersAtPrice(r, w, o.isBuy, o.price) == 0;
        uint8 tree = o.isBuy ? MarketTree.BIDS : MarketTree.ASKS;
        bytes32 key = MarketLeaves.bookKey(o.isBuy, o.price, o.orderId);
        (uint256 i, bool present) = read(r, w, tree, key);
        if (present) revert E.OrderRestsAlready(o.orderId);
        write(r, w, tree, i, key, keccak256(MarketLeaves.bookRecord(o.account, o.reduceOnly)), uint256(o.size));
        if (opens) MarketRecord.setLevels(r.m, o.isBuy, MarketRecord.levels(r.m, o.isBuy) + 1);
    }

    /// Takes `o` (its size ignored) out of the book, and its price level with it if it was the level's last order.
    function removeOrder(Run memory r, MarketWitness calldata w, BookEntry memory o) internal pure {
        bool closes = ordersAtPrice(r, w, o.isBuy, o.price) == 1;
        uint8 tree = o.isBuy ? MarketTree.BIDS : MarketTree.ASKS;
        bytes32 key = MarketLeaves.bookKey(o.isBuy, o.price, o.orderId);
        (uint256 i, bool present) = read(r, w, tree, key);
        if (!present || keccak256(w.ordered[i].record) != keccak256(MarketLeaves.bookRecord(o.account, o.reduceOnly))) {
            revert E.OrderNotInBook(o.orderId);
        }
        remove(r, w, tree, i, key);
        if (closes) MarketRecord.setLevels(r.m, o.isBuy, MarketRecord.levels(r.m, o.isBuy) - 1);
    }

    /// A listed order of `owner` as the book holds it.
    function entryOf(ListedOrder memory order, address owner) internal pure returns (BookEntry memory) {
        return BookEntry(order.isBuy, order.price, order.orderId, owner, order.reduceOnly, order.size);
    }

    /// An order that stays in the book with less size (a partial fill).
    function reduceOrder(Run memory r, MarketWitness calldata w, BookEntry memory order, int256 size) internal pure {
        uint8 tree = order.isBuy ? MarketTree.BIDS : MarketTree.ASKS;
        bytes32 key = MarketLeaves.bookKey(order.isBuy, order.price, order.orderId);
        (uint256 i, bool present) = read(r, w, tree, key);
        if (!present) revert E.OrderNotInBook(order.orderId);
        write(r, w, tree, i, key, _hashOf(w.ordered[i].record), uint256(size));
    }

    function bookOrderCount(Run memory r) internal pure returns (uint256) {
        return (r.s.bidsCountSize >> 128) + (r.s.asksCountSize >> 128);
    }

    // ---- roots ----

    function rootHash(MarketState memory s, uint8 tree) internal pure returns (bytes32) {
        if (tree == MarketTree.POSITIONS) return s.positions;
        if (tree == MarketTree.BIDS) return s.bids;
        if (tree == MarketTree.ASKS) return s.asks;
        if (tree == MarketTree.LONGS) return s.longs;
        return s.shorts;
    }

    function rootCountSize(MarketState memory s, uint8 tree) internal pure returns (uint256) {
        if (tree == MarketTree.POSITIONS) return s.positionsCountSize;
        if (tree == MarketTree.BIDS) return s.bidsCountSize;
        if (tree == MarketTree.ASKS) return s.asksCountSize;
        if (tree == MarketTree.LONGS) return s.longsCountSize;
        return s.shortsCountSize;
    }

    function setRoot(MarketState memory s, uint8 tree, bytes32 h, uint256 countSize) internal pure {
        if (tree == MarketTree.POSITIONS) (s.positions, s.positionsCountSize) = (h, countSize);
        else if (tree == MarketTree.BIDS) (s.bids, s.bidsCountSize) = (h, countSize);
        else if (tree == MarketTree.ASKS) (s.asks, s.asksCountSize) = (h, countSize);
        else if (tree == MarketTree.LONGS) (s.longs, s.longsCountSize) = (h, countSize);
        else (s.shorts, s.shortsCountSize) = (h, countSize);
    }

    // ---- private ----

    function _nextOrdered(Run memory r, MarketWitness calldata w) private pure returns (uint256 i) {
        i = r.nextOrdered++;
        if (i >= w.ordered.length) revert E.WitnessTooShort(1, i);
    }

    /// Whether leaf `i` is what `tree` holds at its key (present with its record, or absent with none); reverts if
    /// it is neither. Returns its presence.
    function _proves(Run memory r, OrderedLeaf calldata leaf, uint256 i, uint8 tree) private pure returns (bool present) {
        OrderedTree.Proof calldata p = leaf.proof;
        present = p.endsInLeaf && p.leafKey == leaf.key;
        if (present ? p.leafValueHash != _hashOf(leaf.record) : leaf.record.length != 0) revert E.BadOrderedProof(i);
        (bytes32 h, uint256 count, uint256 size) = OrderedTree.rootOf(p, leaf.key);
        if (h != rootHash(r.s, tree) || (count << 128 | size) != rootCountSize(r.s, tree)) revert E.BadOrderedProof(i);
    }

    function _riskOf(address account, Position memory p) private pure returns (bool, bool, bytes32) {
        if (account == address(0) || p.size == 0) return (false, false, bytes32(0));
        return (true, p.size > 0, MarketLeaves.riskLeafKey(RiskKey.k(p.size, p.collateral, p.settledFundingIndex), account));
    }

    function _deleteRisk(Run memory r, MarketWitness calldata w, bool isLong, bytes32 key) private pure {
        uint8 tree = isLong ? MarketTree.LONGS : MarketTree.SHORTS;
        (uint256 i, bool present) = read(r, w, tree, key);
        if (!present) revert E.RiskLeafMissing();
        remove(r, w, tree, i, key);
    }

    function _insertRisk(Run memory r, MarketWitness calldata w, bool isLong, bytes32 key, int256 size) private pure {
        uint8 tree = isLong ? MarketTree.LONGS : MarketTree.SHORTS;
        (uint256 i, bool present) = read(r, w, tree, key);
        if (present) revert E.RiskLeafTaken();
        write(r, w, tree, i, key, bytes32(0), uint256(size));
    }

    function _abs(int256 x) private pure returns (int256) {
        return x < 0 ? -x : x;
    }

    function _hashOf(bytes calldata b) private pure returns (bytes32) {
        return b.length == 0 ? bytes32(0) : keccak256(b);
    }

    function _hashOfMemory(bytes memory b) private pure returns (bytes32) {
        return b.length == 0 ? bytes32(0) : keccak256(b);
    }
}
