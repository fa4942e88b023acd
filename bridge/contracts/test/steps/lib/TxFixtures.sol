// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Test-only transactions: their binary encoding (docs/transactions.md, "Binary layout") and EIP-712
/// digest with every type string written out here, independently of the contracts' constants.
library TxFixtures {
    struct Params {
        bytes symbol;
        uint64 tickSize;
        uint64 lotSize;
        uint64 sizeScale;
        // initialMargin, maintenanceMargin, makerFee, takerFee, priceBand, maxOpenOrdersPerAccount, fundingInterval,
        // fundingCap, liquidationFee, haltMove, haltWindow, maxBookOrders, maxBookLevels
        uint32[13] u32s;
        address[] signers;
    }

    struct Tx {
        uint8 kind;
        address account;
        uint32 market;
        uint64 amount;
        uint64 depositIndex;
        bool toMarket;
        bool isBuy;
        uint64 price;
        uint64 size;
        uint8 orderKind;
        uint8 timeInForce;
        bool reduceOnly;
        uint64 clientOrderId;
        uint64 orderId;
        uint64 timestamp;
        Params params;
        uint64 nonce;
        bytes sig;
    }

    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    string internal constant MARKET_PARAMS_TYPE =
        "MarketParams(string symbol,uint64 tickSize,uint64 lotSize,uint64 sizeScale,uint32 initialMarginPpm,uint32 maintenanceMarginPpm,uint32 makerFeePpm,uint32 takerFeePpm,uint32 priceBandPpm,uint32 maxOpenOrdersPerAccount,uint32 fundingIntervalBlocks,uint32 fundingCapPpm,uint32 liquidationFeePpm,uint32 haltMovePpm,uint32 haltWindowBlocks,uint32 maxBookOrders,uint32 maxBookLevels,address[] oracleSigners)";

    /// Parameters MarketParamsRules accepts: BTC-PERP, one oracle signer.
    function validParams(address oracle) internal pure returns (Params memory p) {
        p.symbol = "BTC-PERP";
        p.tickSize = 10;
        p.lotSize = 1;
        p.sizeScale = 1000;
        p.u32s = [uint32(100_000), 50_000, 200, 500, 100_000, 100, 10, 1_000, 10_000, 100_000, 100, 10_000, 1_000];
        p.signers = new address[](1);
        p.signers[0] = oracle;
    }

    function encodeParams(Params memory p) internal pure returns (bytes memory out) {
        out = abi.encodePacked(uint8(p.symbol.length), p.symbol, p.tickSize, p.lotSize, p.sizeScale);
        for (uint256 i = 0; i < 13; i++) {
            out = bytes.concat(out, abi.encodePacked(p.u32s[i]));
        }
        out = bytes.concat(out, abi.encodePacked(uint8(p.signers.length)));
        for (uint256 i = 0; i < p.signers.length; i++) {
            out = bytes.concat(out, abi.encodePacked(p.signers[i]));
        }
    }

    function encode(Tx memory t) internal pure returns (bytes memory) {
        uint8 k = t.kind;
        if (k == 1) return abi.encodePacked(k, t.account, t.amount, t.depositIndex);
        bytes memory body;
        if (k == 2) {
            body = abi.encodePacked(k, t.account, t.amount);
        } else if (k == 3) {
            body = abi.encodePacked(k, t.account, t.market, t.amount, t.toMarket);
        } else if (k == 4) {
            body = abi.encodePacked(k, t.account, t.market, t.isBuy, t.price, t.size);
            body = bytes.concat(body, abi.encodePacked(t.orderKind, t.timeInForce, t.reduceOnly, t.clientOrderId));
        } else if (k == 5) {
            body = abi.encodePacked(k, t.account, t.market, t.orderId);
        } else if (k == 6) {
            body = abi.encodePacked(k, t.account, t.market, t.clientOrderId);
        } else if (k == 8) {
            body = abi.encodePacked(k, t.account, t.market, t.price, t.timestamp);
        } else if (k == 9 || k == 10) {
            body = bytes.concat(abi.encodePacked(k, t.account, t.market), encodeParams(t.params));
        } else {
            body = abi.encodePacked(k, t.account, t.market); // 7, 11, 12
        }
        return bytes.concat(body, abi.encodePacked(t.nonce), t.sig);
    }

    function domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256(bytes("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")),
                keccak256(bytes("Rollup")),
                keccak256(bytes("1")),
                chainId,
                verifyingContract
            )
        );
    }

    function digest(bytes32 separator, Tx memory t) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", separator, hashStruct(t)));
    }

    function hashStruct(Tx memory t) internal pure returns (bytes32) {
        uint8 k = t.kind;
        if (k == 2) {
            return keccak256(
                abi.encode(keccak256(bytes("Withdraw(address account,uint64 amount,uint64 nonce)")), t.account, t.amount, t.nonce)
            );
        }
        if (k == 3) {
            return keccak256(
                abi.encode(
                    keccak256(bytes("TransferMargin(address account,uint32 market,uint64 amount,bool toMarket,uint64 nonce)")),
                    t.account,
                    t.market,
                    t.amount,
                    t.toMarket,
                    t.nonce
                )
            );
        }
        if (k == 4) {
            bytes memory head = abi.encode(
                keccak256(
                    bytes(
                        "Order(address account,uint32 market,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId,uint64 nonce)"
                    )
                ),
                t.account,
                t.market,
                t.isBuy,
                t.price,
                t.size
            );
            return keccak256(bytes.concat(head, abi.encode(t.orderKind, t.timeInForce, t.reduceOnly, t.clientOrderId, t.nonce)));
        }
        if (k == 5) {
            return keccak256(
                abi.encode(
                    keccak256(bytes("CancelOrder(address account,uint32 market,uint64 orderId,uint64 nonce)")),
                    t.account,
                    t.market,
                    t.orderId,
                    t.nonce
                )
            );
        }
        if (k == 6) {
            return keccak256(
                abi.encode(
                    keccak256(bytes("CancelOrderByClientId(address account,uint32 market,uint64 clientOrderId,uint64 nonce)")),
                    t.account,
                    t.market,
                    t.clientOrderId,
                    t.nonce
                )
            );
        }
        if (k == 7) {
            return keccak256(
                abi.encode(
                    keccak256(bytes("CancelAllOrders(address account,uint32 market,uint64 nonce)")), t.account, t.market, t.nonce
                )
            );
        }
        if (k == 8) {
            return keccak256(
                abi.encode(
                    keccak256(bytes("OracleUpdate(address account,uint32 market,uint64 price,uint64 timestamp,uint64 nonce)")),
                    t.account,
                    t.market,
                    t.price,
                    t.timestamp,
                    t.nonce
                )
            );
        }
        if (k == 9 || k == 10) {
            string memory primary = k == 9
                ? "CreateMarket(address account,uint32 market,MarketParams params,uint64 nonce)"
                : "SetMarketParams(address account,uint32 market,MarketParams params,uint64 nonce)";
            return keccak256(
                abi.encode(
                    keccak256(bytes(string.concat(primary, MARKET_PARAMS_TYPE))), t.account, t.market, hashParams(t.params), t.nonce
                )
            );
        }
        if (k == 11) {
            return keccak256(
                abi.encode(keccak256(bytes("PauseMarket(address account,uint32 market,uint64 nonce)")), t.account, t.market, t.nonce)
            );
        }
        if (k == 12) {
            return keccak256(
                abi.encode(keccak256(bytes("ResumeMarket(address account,uint32 market,uint64 nonce)")), t.account, t.market, t.nonce)
            );
        }
        revert("TxFixtures: not a signed kind");
    }

    function hashParams(Params memory p) internal pure returns (bytes32) {
        bytes memory words = abi.encode(keccak256(bytes(MARKET_PARAMS_TYPE)), keccak256(p.symbol), p.tickSize, p.lotSize, p.sizeScale);
        for (uint256 i = 0; i < 13; i++) {
            words = bytes.concat(words, abi.encode(p.u32s[i]));
        }
        bytes memory signerWords;
        for (uint256 i = 0; i < p.signers.length; i++) {
            signerWords = bytes.concat(signerWords, abi.encode(p.signers[i]));
        }
        return keccak256(bytes.concat(words, abi.encode(keccak256(signerWords))));
    }
}
