// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {TransactionDecoder as D} from "./TransactionDecoder.sol";

/// @notice One item of a Bulk (docs/transactions.md, "Bulk"); the fields its action does not carry are zero.
struct BulkItem {
    uint8 action; // 0 place, 1 cancel, 2 cancel by client id, 3 cancel-replace
    uint64 orderId; // cancel, cancel-replace
    bool isBuy; // place, cancel-replace (and the five fields below)
    uint64 price;
    uint64 size;
    uint8 orderKind;
    uint8 timeInForce;
    bool reduceOnly;
    uint64 clientOrderId; // place, cancel-replace, cancel by client id
}

/// @notice A decoded Bulk's account and items: up to 64 in one market.
struct Bulk {
    address account;
    uint32 market;
    BulkItem[] items;
}

/// @notice A Bulk's one nonce and signature, which only the accounts domain reads.
struct BulkSignature {
    uint64 nonce;
    bytes32 r;
    bytes32 s;
    uint8 v;
}

/// @notice Reads a Bulk (kind 13) from its binary encoding (docs/transactions.md, "Binary layout") and hashes it as
/// its EIP-712 struct, refusing what the engine's codec refuses for the same first reason: the bytes up to the item
/// count, the count, then each item's action byte, its length, its bool and enum bytes, then the nonce and
/// signature's length, last the client ids' uniqueness; and anything after the last byte. Kept apart from
/// TransactionDecoder so that only the steps that meet a bulk carry its code; its refusals are TransactionDecoder's
/// `MalformedTransaction` and `TrailingBytes`.
library BulkDecoder {
    uint8 internal constant KIND = 13;
    uint256 internal constant MAX_ITEMS = 64;

    uint8 internal constant PLACE = 0;
    uint8 internal constant CANCEL = 1;
    uint8 internal constant CANCEL_BY_CLIENT_ID = 2;
    uint8 internal constant CANCEL_REPLACE = 3;

    /// kind ‖ account ‖ market ‖ count: where the items start.
    uint256 private constant ITEMS_AT = 26;
    /// nonce ‖ r ‖ s ‖ v.
    uint256 private constant SIGNED_TAIL = 73;

    bytes32 internal constant BULK_TYPEHASH = keccak256(
        "Bulk(address account,BulkItem[] items,uint64 nonce)BulkItem(uint32 market,uint8 action,uint64 orderId,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId)"
    );
    bytes32 internal constant BULK_ITEM_TYPEHASH = keccak256(
        "BulkItem(uint32 market,uint8 action,uint64 orderId,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId)"
    );

    /// @notice Whether `data` is a bulk's encoding by its kind byte (the decoders of the other kinds refuse 13).
    function isBulk(bytes calldata data) internal pure returns (bool) {
        return data.length != 0 && uint8(data[0]) == KIND;
    }

    /// @notice The bulk `data` encodes, exactly (the caller has checked its kind byte).
    function decode(bytes calldata data) internal pure returns (Bulk memory b, BulkSignature memory sig) {
        uint256 p;
        (b, p) = decodeItems(data);
        sig.nonce = uint64(_read(data, p, 8));
        sig.r = bytes32(_read(data, p + 8, 32));
        sig.s = bytes32(_read(data, p + 40, 32));
        sig.v = uint8(_read(data, p + 72, 1));
    }

    /// @notice As `decode`, with every check, but only the account, market and items read out (a market's steps
    /// need no signature); `p` is where the nonce starts.
    function decodeItems(bytes calldata data) internal pure returns (Bulk memory b, uint256 p) {
        if (data.length < ITEMS_AT) revert D.MalformedTransaction(D.TRUNCATED);
        uint256 count = _read(data, ITEMS_AT - 1, 1);
        if (count == 0 || count > MAX_ITEMS) revert D.MalformedTransaction(D.BAD_BULK_ITEM_COUNT);
        b.items = new BulkItem[](count);
        p = ITEMS_AT;
        for (uint256 i = 0; i < count; i++) {
            p = _item(data, p, b.items[i]);
        }
        uint256 length = p + SIGNED_TAIL;
        if (data.length < length) revert D.MalformedTransaction(D.TRUNCATED);
        if (_hasDuplicateClientOrderId(b.items)) revert D.MalformedTransaction(D.DUPLICATE_CLIENT_ORDER_ID);
        if (length != data.length) revert D.TrailingBytes(length, data.length);
        b.account = address(uint160(_read(data, 1, 20)));
        b.market = uint32(_read(data, 21, 4));
    }

    /// @notice hashStruct(Bulk): account, keccak256 of the items' hashStructs concatenated (each naming the bulk's
    /// market), nonce. The market itself is not a member of Bulk.
    function hashStruct(Bulk memory b, uint64 nonce) internal pure returns (bytes32) {
        uint256 count = b.items.length;
        bytes32[] memory hashes = new bytes32[](count);
        for (uint256 i = 0; i < count; i++) {
            BulkItem memory it = b.items[i];
            hashes[i] = keccak256(
                bytes.concat(
                    abi.encode(BULK_ITEM_TYPEHASH, b.market, it.action, it.orderId, it.isBuy, it.price, it.size),
                    abi.encode(it.orderKind, it.timeInForce, it.reduceOnly, it.clientOrderId)
                )
            );
        }
        return keccak256(abi.encode(BULK_TYPEHASH, b.account, keccak256(abi.encodePacked(hashes)), nonce));
    }

    /// @notice Whether the item places an order (place, cancel-replace).
    function places(BulkItem memory it) internal pure returns (bool) {
        return it.action == PLACE || it.action == CANCEL_REPLACE;
    }

    /// Item at `p` into `it`; returns where the next starts.
    function _item(bytes calldata data, uint256 p, BulkItem memory it) private pure returns (uint256) {
        if (data.length <= p) revert D.MalformedTransaction(D.TRUNCATED);
        uint8 action = uint8(_read(data, p, 1));
        uint256 length;
        if (action == PLACE) length = 29;
        else if (action == CANCEL || action == CANCEL_BY_CLIENT_ID) length = 9;
        else if (action == CANCEL_REPLACE) length = 37;
        else revert D.MalformedTransaction(D.BAD_BULK_ACTION);
        if (data.length < p + length) revert D.MalformedTransaction(D.TRUNCATED);
        it.action = action;
        uint256 q = p + 1;
        if (action == CANCEL || action == CANCEL_REPLACE) {
            it.orderId = uint64(_read(data, q, 8));
            q += 8;
        }
        if (action == PLACE || action == CANCEL_REPLACE) {
            it.isBuy = _bool(data, q);
            it.price = uint64(_read(data, q + 1, 8));
            it.size = uint64(_read(data, q + 9, 8));
            it.orderKind = uint8(_read(data, q + 17, 1));
            if (it.orderKind > 1) revert D.MalformedTransaction(D.BAD_ORDER_KIND);
            it.timeInForce = uint8(_read(data, q + 18, 1));
            if (it.timeInForce > 3) revert D.MalformedTransaction(D.BAD_TIME_IN_FORCE);
            it.reduceOnly = _bool(data, q + 19);
            it.clientOrderId = uint64(_read(data, q + 20, 8));
        } else if (action == CANCEL_BY_CLIENT_ID) {
            it.clientOrderId = uint64(_read(data, q, 8));
        }
        return p + length;
    }

    /// Two items that place share a nonzero client order id.
    function _hasDuplicateClientOrderId(BulkItem[] memory items) private pure returns (bool) {
        for (uint256 i = 1; i < items.length; i++) {
            uint64 id = items[i].clientOrderId;
            if (id == 0 || !places(items[i])) continue;
            for (uint256 j = 0; j < i; j++) {
                if (items[j].clientOrderId == id && places(items[j])) return true;
            }
        }
        return false;
    }

    function _bool(bytes calldata data, uint256 position) private pure returns (bool) {
        uint256 b = _read(data, position, 1);
        if (b > 1) revert D.MalformedTransaction(D.BAD_BOOL);
        return b == 1;
    }

    /// The `size`-byte big-endian integer at `position`; the caller has checked that it lies inside `data`.
    function _read(bytes calldata data, uint256 position, uint256 size) private pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := shr(sub(256, mul(size, 8)), calldataload(add(data.offset, position)))
        }
    }
}
