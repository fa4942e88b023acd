// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {MarketParams, Transaction, TxKind} from "./TransactionDecoder.sol";

/// @notice What an account signs: the EIP-712 digest of a transaction in the Rollup domain (docs/eip712.md,
/// docs/transactions.md "EIP-712 types"). The type strings are protocol and never change in place.
library TransactionEip712 {
    /// @notice Deposit is not signed: it has no digest.
    error NotSigned(uint8 kind);

    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    bytes32 internal constant ORDER_TYPEHASH = keccak256(
        "Order(address account,uint32 market,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId,uint64 nonce)"
    );
    bytes32 internal constant WITHDRAW_TYPEHASH = keccak256("Withdraw(address account,uint64 amount,uint64 nonce)");
    bytes32 internal constant TRANSFER_MARGIN_TYPEHASH =
        keccak256("TransferMargin(address account,uint32 market,uint64 amount,bool toMarket,uint64 nonce)");
    bytes32 internal constant CANCEL_ORDER_TYPEHASH =
        keccak256("CancelOrder(address account,uint32 market,uint64 orderId,uint64 nonce)");
    bytes32 internal constant CANCEL_ORDER_BY_CLIENT_ID_TYPEHASH =
        keccak256("CancelOrderByClientId(address account,uint32 market,uint64 clientOrderId,uint64 nonce)");
    bytes32 internal constant CANCEL_ALL_ORDERS_TYPEHASH =
        keccak256("CancelAllOrders(address account,uint32 market,uint64 nonce)");
    bytes32 internal constant ORACLE_UPDATE_TYPEHASH =
        keccak256("OracleUpdate(address account,uint32 market,uint64 price,uint64 timestamp,uint64 nonce)");
    bytes32 internal constant PAUSE_MARKET_TYPEHASH = keccak256("PauseMarket(address account,uint32 market,uint64 nonce)");
    bytes32 internal constant RESUME_MARKET_TYPEHASH =
        keccak256("ResumeMarket(address account,uint32 market,uint64 nonce)");

    bytes32 internal constant MARKET_PARAMS_TYPEHASH = keccak256(
        "MarketParams(string symbol,uint64 tickSize,uint64 lotSize,uint64 sizeScale,uint32 initialMarginPpm,uint32 maintenanceMarginPpm,uint32 makerFeePpm,uint32 takerFeePpm,uint32 priceBandPpm,uint32 maxOpenOrdersPerAccount,uint32 fundingIntervalBlocks,uint32 fundingCapPpm,uint32 liquidationFeePpm,uint32 haltMovePpm,uint32 haltWindowBlocks,uint32 maxBookOrders,uint32 maxBookLevels,address[] oracleSigners)"
    );
    /// encodeType appends the referenced struct type to the primary type.
    bytes32 internal constant CREATE_MARKET_TYPEHASH = keccak256(
        "CreateMarket(address account,uint32 market,MarketParams params,uint64 nonce)MarketParams(string symbol,uint64 tickSize,uint64 lotSize,uint64 sizeScale,uint32 initialMarginPpm,uint32 maintenanceMarginPpm,uint32 makerFeePpm,uint32 takerFeePpm,uint32 priceBandPpm,uint32 maxOpenOrdersPerAccount,uint32 fundingIntervalBlocks,uint32 fundingCapPpm,uint32 liquidationFeePpm,uint32 haltMovePpm,uint32 haltWindowBlocks,uint32 maxBookOrders,uint32 maxBookLevels,address[] oracleSigners)"
    );
    bytes32 internal constant SET_MARKET_PARAMS_TYPEHASH = keccak256(
        "SetMarketParams(address account,uint32 market,MarketParams params,uint64 nonce)MarketParams(string symbol,uint64 tickSize,uint64 lotSize,uint64 sizeScale,uint32 initialMarginPpm,uint32 maintenanceMarginPpm,uint32 makerFeePpm,uint32 takerFeePpm,uint32 priceBandPpm,uint32 maxOpenOrdersPerAccount,uint32 fundingIntervalBlocks,uint32 fundingCapPpm,uint32 liquidationFeePpm,uint32 haltMovePpm,uint32 haltWindowBlocks,uint32 maxBookOrders,uint32 maxBookLevels,address[] oracleSigners)"
    );

    /// @notice hashStruct(EIP712Domain{name: "Rollup", version: "1", chainId, verifyingContract}).
    function domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Rollup"), keccak256("1"), chainId, verifyingContract));
    }

    /// @notice keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(t)).
    function digest(bytes32 separator, Transaction memory t) internal pure returns (bytes32) {
        return digestOf(separator, hashStruct(t));
    }

    /// @notice keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash), for a struct hashed elsewhere (a Bulk).
    function digestOf(bytes32 separator, bytes32 structHash) internal pure returns (bytes32 d) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, 0x1901000000000000000000000000000000000000000000000000000000000000)
            mstore(add(p, 2), separator)
            mstore(add(p, 34), structHash)
            d := keccak256(p, 66)
        }
    }

    /// @notice hashStruct of `t` as its kind's primary type; the signature is not part of it.
    function hashStruct(Transaction memory t) internal pure returns (bytes32) {
        uint8 kind = t.kind;
        if (kind == TxKind.WITHDRAW) return keccak256(abi.encode(WITHDRAW_TYPEHASH, t.account, t.amount, t.nonce));
        if (kind == TxKind.TRANSFER_MARGIN) {
            return keccak256(abi.encode(TRANSFER_MARGIN_TYPEHASH, t.account, t.market, t.amount, t.toMarket, t.nonce));
        }
        if (kind == TxKind.PLACE_ORDER) {
            return keccak256(
                bytes.concat(
                    abi.encode(ORDER_TYPEHASH, t.account, t.market, t.isBuy, t.price, t.size),
                    abi.encode(t.orderKind, t.timeInForce, t.reduceOnly, t.clientOrderId, t.nonce)
                )
            );
        }
        if (kind == TxKind.CANCEL_ORDER) {
            return keccak256(abi.encode(CANCEL_ORDER_TYPEHASH, t.account, t.market, t.orderId, t.nonce));
        }
        if (kind == TxKind.CANCEL_ORDER_BY_CLIENT_ID) {
            return keccak256(abi.encode(CANCEL_ORDER_BY_CLIENT_ID_TYPEHASH, t.account, t.market, t.clientOrderId, t.nonce));
        }
        if (kind == TxKind.CANCEL_ALL_ORDERS) {
            return keccak256(abi.encode(CANCEL_ALL_ORDERS_TYPEHASH, t.account, t.market, t.nonce));
        }
        if (kind == TxKind.ORACLE_UPDATE) {
            return keccak256(abi.encode(ORACLE_UPDATE_TYPEHASH, t.account, t.market, t.price, t.timestamp, t.nonce));
        }
        if (kind == TxKind.CREATE_MARKET || kind == TxKind.SET_MARKET_PARAMS) {
            bytes32 typeHash = kind == TxKind.CREATE_MARKET ? CREATE_MARKET_TYPEHASH : SET_MARKET_PARAMS_TYPEHASH;
            return keccak256(abi.encode(typeHash, t.account, t.market, hashMarketParams(t.params), t.nonce));
        }
        if (kind == TxKind.PAUSE_MARKET) return keccak256(abi.encode(PAUSE_MARKET_TYPEHASH, t.account, t.market, t.nonce));
        if (kind == TxKind.RESUME_MARKET) {
            return keccak256(abi.encode(RESUME_MARKET_TYPEHASH, t.account, t.market, t.nonce));
        }
        revert NotSigned(kind);
    }

    /// @notice hashStruct(MarketParams): the type hash, keccak256 of the symbol's bytes, the sixteen integers as
    /// words, and keccak256 of the signers as words (keccak256 of nothing when there are none).
    function hashMarketParams(MarketParams memory p) internal pure returns (bytes32 h) {
        bytes32 symbolHash = keccak256(p.symbol);
        address[] memory signers = p.oracleSigners;
        bytes32 signersHash;
        bytes32 typeHash = MARKET_PARAMS_TYPEHASH;
        assembly ("memory-safe") {
            // A memory array of addresses is its length, then one clean 32-byte word per element.
            signersHash := keccak256(add(signers, 0x20), mul(mload(signers), 0x20))
            // The struct in memory is one word per member: the symbol's pointer, sixteen clean integer words, the
            // signers' pointer. Lay out typeHash ‖ symbolHash ‖ the sixteen words ‖ signersHash and hash it.
            let buf := mload(0x40)
            mstore(buf, typeHash)
            mstore(add(buf, 0x20), symbolHash)
            for { let i := 1 } lt(i, 17) { i := add(i, 1) } {
                mstore(add(buf, mul(add(i, 1), 0x20)), mload(add(p, mul(i, 0x20))))
            }
            mstore(add(buf, 0x240), signersHash)
            h := keccak256(buf, 0x260)
        }
    }
}
