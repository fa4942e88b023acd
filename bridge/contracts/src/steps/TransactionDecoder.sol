// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Transaction kinds: the wire value, the first byte of an encoding (docs/transactions.md, "Kinds").
library TxKind {
    uint8 internal constant DEPOSIT = 1;
    uint8 internal constant WITHDRAW = 2;
    uint8 internal constant TRANSFER_MARGIN = 3;
    uint8 internal constant PLACE_ORDER = 4;
    uint8 internal constant CANCEL_ORDER = 5;
    uint8 internal constant CANCEL_ORDER_BY_CLIENT_ID = 6;
    uint8 internal constant CANCEL_ALL_ORDERS = 7;
    uint8 internal constant ORACLE_UPDATE = 8;
    uint8 internal constant CREATE_MARKET = 9;
    uint8 internal constant SET_MARKET_PARAMS = 10;
    uint8 internal constant PAUSE_MARKET = 11;
    uint8 internal constant RESUME_MARKET = 12;
    uint8 internal constant BULK = 13; // decoded by BulkDecoder; `decode` here refuses it as UnknownKind
}

/// @notice A market's parameters, in protocol order (docs/transactions.md, "Fields of each kind").
/// @dev The hashing in TransactionEip712 reads the 16 integers as the memory words after `symbol`: keep them there.
struct MarketParams {
    bytes symbol;
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

/// @notice A decoded transaction: every kind's fields, those its kind does not carry left zero.
struct Transaction {
    uint8 kind;
    address account;
    uint32 market; // all but Deposit and Withdraw
    uint64 amount; // Deposit, Withdraw, TransferMargin
    uint64 depositIndex; // Deposit
    bool toMarket; // TransferMargin
    bool isBuy; // PlaceOrder
    uint64 price; // PlaceOrder, OracleUpdate
    uint64 size; // PlaceOrder
    uint8 orderKind; // PlaceOrder: 0 limit, 1 market
    uint8 timeInForce; // PlaceOrder: 0 GTC, 1 IOC, 2 FOK, 3 post-only
    bool reduceOnly; // PlaceOrder
    uint64 clientOrderId; // PlaceOrder, CancelOrderByClientId
    uint64 orderId; // CancelOrder
    uint64 timestamp; // OracleUpdate
    MarketParams params; // CreateMarket, SetMarketParams
    uint64 nonce; // all but Deposit
    bytes32 r; // the signature r ‖ s ‖ v as carried (all but Deposit)
    bytes32 s;
    uint8 v;
}

/// @notice Reads one transaction from its binary encoding (docs/transactions.md, "Binary layout"), refusing what
/// the engine's codec refuses, for the same first reason, and anything after the transaction's last byte (a
/// witness record is exactly one encoding: its hash is the transaction's hash).
library TransactionDecoder {
    /// @notice The bytes are not a transaction; `reason` is the codec's (docs/transactions.md, "Decoding and its
    /// refusals"): 1 Truncated, 2 UnknownKind, 3 BadBool, 4 BadOrderKind, 5 BadTimeInForce, 6 BadSymbolLength,
    /// 7 BadSymbolCharacter, 8 TooManyOracleSigners, and a bulk's (BulkDecoder) 11 BadBulkItemCount,
    /// 12 BadBulkAction, 13 DuplicateClientOrderId.
    error MalformedTransaction(uint8 reason);

    /// @notice A transaction ends at byte `used`, but the record is `length` bytes long.
    error TrailingBytes(uint256 used, uint256 length);

    uint8 internal constant TRUNCATED = 1;
    uint8 internal constant UNKNOWN_KIND = 2;
    uint8 internal constant BAD_BOOL = 3;
    uint8 internal constant BAD_ORDER_KIND = 4;
    uint8 internal constant BAD_TIME_IN_FORCE = 5;
    uint8 internal constant BAD_SYMBOL_LENGTH = 6;
    uint8 internal constant BAD_SYMBOL_CHARACTER = 7;
    uint8 internal constant TOO_MANY_ORACLE_SIGNERS = 8;
    uint8 internal constant BAD_BULK_ITEM_COUNT = 11;
    uint8 internal constant BAD_BULK_ACTION = 12;
    uint8 internal constant DUPLICATE_CLIENT_ORDER_ID = 13;

    uint256 internal constant MAX_SYMBOL_LENGTH = 16;
    uint256 internal constant MAX_ORACLE_SIGNERS = 4;

    /// kind ‖ account ‖ market: where a market-admin transaction's parameters start.
    uint256 private constant PARAMS_AT = 25;
    /// The parameters' three u64 and thirteen u32.
    uint256 private constant PARAMS_INTEGERS = 76;
    /// nonce ‖ r ‖ s ‖ v, the tail of every signed kind.
    uint256 private constant SIGNED_TAIL = 73;

    function decode(bytes calldata data) internal pure returns (Transaction memory t) {
        if (data.length == 0) revert MalformedTransaction(TRUNCATED);
        uint8 kind = uint8(_read(data, 0, 1));
        if (kind < TxKind.DEPOSIT || kind > TxKind.RESUME_MARKET) revert MalformedTransaction(UNKNOWN_KIND);
        t.kind = kind;
        uint256 used = kind == TxKind.CREATE_MARKET || kind == TxKind.SET_MARKET_PARAMS
            ? _decodeMarketAdmin(data, t)
            : _decodeFixed(data, t);
        if (used != data.length) revert TrailingBytes(used, data.length);
    }

    /// @notice A fixed-length kind's encoding, exactly, for a caller that has checked the kind byte (1 to 8, 11 or
    /// 12): the same reading and refusals as `decode`, without the market administration's decoder.
    function decodeFixedKind(bytes calldata data) internal pure returns (Transaction memory t) {
        t.kind = uint8(_read(data, 0, 1));
        uint256 used = _decodeFixed(data, t);
        if (used != data.length) revert TrailingBytes(used, data.length);
    }

    /// The encoded length of a fixed-length kind.
    function fixedLength(uint8 kind) internal pure returns (uint256) {
        if (kind == TxKind.DEPOSIT) return 37;
        if (kind == TxKind.WITHDRAW) return 102;
        if (kind == TxKind.TRANSFER_MARGIN) return 107;
        if (kind == TxKind.PLACE_ORDER) return 126;
        if (kind == TxKind.CANCEL_ORDER || kind == TxKind.CANCEL_ORDER_BY_CLIENT_ID) return 106;
        if (kind == TxKind.ORACLE_UPDATE) return 114;
        return 98; // CancelAllOrders, PauseMarket, ResumeMarket
    }

    function _decodeFixed(bytes calldata data, Transaction memory t) private pure returns (uint256 length) {
        uint8 kind = t.kind;
        length = fixedLength(kind);
        if (data.length < length) revert MalformedTransaction(TRUNCATED);
        t.account = address(uint160(_read(data, 1, 20)));
        if (kind == TxKind.DEPOSIT) {
            t.amount = uint64(_read(data, 21, 8));
            t.depositIndex = uint64(_read(data, 29, 8));
            return length;
        }
        if (kind == TxKind.WITHDRAW) {
            t.amount = uint64(_read(data, 21, 8));
        } else {
            t.market = uint32(_read(data, 21, 4));
            if (kind == TxKind.TRANSFER_MARGIN) {
                t.amount = uint64(_read(data, 25, 8));
                t.toMarket = _bool(data, 33);
            } else if (kind == TxKind.PLACE_ORDER) {
                t.isBuy = _bool(data, 25);
                t.price = uint64(_read(data, 26, 8));
                t.size = uint64(_read(data, 34, 8));
                t.orderKind = uint8(_read(data, 42, 1));
                if (t.orderKind > 1) revert MalformedTransaction(BAD_ORDER_KIND);
                t.timeInForce = uint8(_read(data, 43, 1));
                if (t.timeInForce > 3) revert MalformedTransaction(BAD_TIME_IN_FORCE);
                t.reduceOnly = _bool(data, 44);
                t.clientOrderId = uint64(_read(data, 45, 8));
            } else if (kind == TxKind.CANCEL_ORDER) {
                t.orderId = uint64(_read(data, 25, 8));
            } else if (kind == TxKind.CANCEL_ORDER_BY_CLIENT_ID) {
                t.clientOrderId = uint64(_read(data, 25, 8));
            } else if (kind == TxKind.ORACLE_UPDATE) {
                t.price = uint64(_read(data, 25, 8));
                t.timestamp = uint64(_read(data, 33, 8));
            }
        }
        _readSignedTail(data, length, t);
    }

    /// CreateMarket and SetMarketParams: refusals in the codec's order (the bytes up to the symbol length, the
    /// symbol length, the bytes up to the signer count, the symbol's characters, the signer count, the rest).
    function _decodeMarketAdmin(bytes calldata data, Transaction memory t) private pure returns (uint256 length) {
        if (data.length <= PARAMS_AT) revert MalformedTransaction(TRUNCATED);
        uint256 symbolLength = _read(data, PARAMS_AT, 1);
        if (symbolLength == 0 || symbolLength > MAX_SYMBOL_LENGTH) revert MalformedTransaction(BAD_SYMBOL_LENGTH);
        uint256 signersAt = PARAMS_AT + 1 + symbolLength + PARAMS_INTEGERS + 1;
        if (data.length < signersAt) revert MalformedTransaction(TRUNCATED);
        for (uint256 i = 0; i < symbolLength; i++) {
            uint256 c = _read(data, PARAMS_AT + 1 + i, 1);
            if (c < 0x21 || c > 0x7E) revert MalformedTransaction(BAD_SYMBOL_CHARACTER);
        }
        uint256 signerCount = _read(data, signersAt - 1, 1);
        if (signerCount > MAX_ORACLE_SIGNERS) revert MalformedTransaction(TOO_MANY_ORACLE_SIGNERS);
        uint256 paramsEnd = signersAt + 20 * signerCount;
        if (data.length < paramsEnd) revert MalformedTransaction(TRUNCATED);
        length = paramsEnd + SIGNED_TAIL;
        if (data.length < length) revert MalformedTransaction(TRUNCATED);

        t.account = address(uint160(_read(data, 1, 20)));
        t.market = uint32(_read(data, 21, 4));
        _readParams(data, symbolLength, signerCount, t.params);
        _readSignedTail(data, length, t);
    }

    function _readParams(bytes calldata data, uint256 symbolLength, uint256 signerCount, MarketParams memory p)
        private
        pure
    {
        uint256 position = PARAMS_AT + 1;
        p.symbol = data[position:position + symbolLength];
        position += symbolLength;
        p.tickSize = uint64(_read(data, position, 8));
        p.lotSize = uint64(_read(data, position + 8, 8));
        p.sizeScale = uint64(_read(data, position + 16, 8));
        position += 24;
        p.initialMarginPpm = uint32(_read(data, position, 4));
        p.maintenanceMarginPpm = uint32(_read(data, position + 4, 4));
        p.makerFeePpm = uint32(_read(data, position + 8, 4));
        p.takerFeePpm = uint32(_read(data, position + 12, 4));
        p.priceBandPpm = uint32(_read(data, position + 16, 4));
        p.maxOpenOrdersPerAccount = uint32(_read(data, position + 20, 4));
        p.fundingIntervalBlocks = uint32(_read(data, position + 24, 4));
        p.fundingCapPpm = uint32(_read(data, position + 28, 4));
        p.liquidationFeePpm = uint32(_read(data, position + 32, 4));
        p.haltMovePpm = uint32(_read(data, position + 36, 4));
        p.haltWindowBlocks = uint32(_read(data, position + 40, 4));
        p.maxBookOrders = uint32(_read(data, position + 44, 4));
        p.maxBookLevels = uint32(_read(data, position + 48, 4));
        position += 53; // the thirteen u32 and the signer count
        address[] memory signers = new address[](signerCount);
        for (uint256 i = 0; i < signerCount; i++) {
            signers[i] = address(uint160(_read(data, position + 20 * i, 20)));
        }
        p.oracleSigners = signers;
    }

    function _readSignedTail(bytes calldata data, uint256 length, Transaction memory t) private pure {
        t.nonce = uint64(_read(data, length - 73, 8));
        t.r = bytes32(_read(data, length - 65, 32));
        t.s = bytes32(_read(data, length - 33, 32));
        t.v = uint8(_read(data, length - 1, 1));
    }

    function _bool(bytes calldata data, uint256 position) private pure returns (bool) {
        uint256 b = _read(data, position, 1);
        if (b > 1) revert MalformedTransaction(BAD_BOOL);
        return b == 1;
    }

    /// The `size`-byte big-endian integer at `position`; the caller has checked that it lies inside `data`.
    function _read(bytes calldata data, uint256 position, uint256 size) private pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := shr(sub(256, mul(size, 8)), calldataload(add(data.offset, position)))
        }
    }
}
