// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {TxFixtures} from "./lib/TxFixtures.sol";
import {Transaction, TransactionDecoder} from "../../src/steps/TransactionDecoder.sol";

contract DecoderHarness {
    function decode(bytes calldata data) external pure returns (Transaction memory) {
        return TransactionDecoder.decode(data);
    }
}

contract TransactionDecoderTest is StepsTest {
    DecoderHarness internal h;

    address internal constant ACCOUNT = 0x000102030405060708090a0b0c0d0e0f10111213;
    bytes internal constant SIG = hex"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb1b";

    function setUp() public {
        h = new DecoderHarness();
    }

    function malformed(uint8 reason) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(TransactionDecoder.MalformedTransaction.selector, reason);
    }

    function expectMalformed(bytes memory data, uint8 reason) internal {
        svm.expectRevert(malformed(reason));
        h.decode(data);
    }

    function base(uint8 kind) internal pure returns (TxFixtures.Tx memory t) {
        t.kind = kind;
        t.account = ACCOUNT;
        t.market = 7;
        t.nonce = 42;
        t.sig = SIG;
        t.params = TxFixtures.validParams(address(0xBEEF));
    }

    function checkSignedTail(Transaction memory d) internal pure {
        assertEq(d.nonce, 42, "nonce");
        assertEq(d.r, bytes32(0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa), "r");
        assertEq(d.s, bytes32(0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb), "s");
        assertEq(d.v, 27, "v");
    }

    // ---- the doc's examples ----

    function test_theDocsCancelOrderExample() public view {
        bytes memory data = bytes.concat(
            hex"05000102030405060708090a0b0c0d0e0f10111213000000070102030405060708000000000000002a", SIG
        );
        assertEq(data.length, 106, "CancelOrder is 106 bytes");
        Transaction memory d = h.decode(data);
        assertEq(d.kind, 5, "kind");
        assertEq(d.account, ACCOUNT, "account");
        assertEq(d.market, 7, "market");
        assertEq(d.orderId, 0x0102030405060708, "orderId");
        checkSignedTail(d);
    }

    function test_theDocsPlaceOrderExample() public view {
        bytes memory data = bytes.concat(
            hex"04" hex"5fbdb2315678afecb367f032d93f642f64180aa3" hex"00000001" hex"01" hex"00000000002dc6c0"
            hex"0000000000000019" hex"01" hex"01" hex"00" hex"ffffffffffffffff" hex"0000000000000001",
            SIG
        );
        assertEq(data.length, 126, "PlaceOrder is 126 bytes");
        Transaction memory d = h.decode(data);
        assertEq(d.account, 0x5FbDB2315678afecb367f032d93F642f64180aa3, "account");
        assertEq(d.market, 1, "market");
        assertTrue(d.isBuy, "buy");
        assertEq(d.price, 3_000_000, "price");
        assertEq(d.size, 25, "size");
        assertEq(d.orderKind, 1, "market order");
        assertEq(d.timeInForce, 1, "IOC");
        assertFalse(d.reduceOnly, "not reduce-only");
        assertEq(d.clientOrderId, type(uint64).max, "clientOrderId");
        assertEq(d.nonce, 1, "nonce");
    }

    function test_theDocsCreateMarketExample() public view {
        TxFixtures.Tx memory t = base(9);
        t.market = 3;
        bytes memory data = TxFixtures.encode(t);
        // After kind 09, account and market 00000003: 08 4254432d50455250 (the symbol).
        assertEqBytes(_slice(data, 21, 13), hex"00000003084254432d50455250", "market and symbol");
        assertEq(data.length, 98 + 78 + 8 + 20, "98 + P bytes, P = 78 + L + 20k");
        Transaction memory d = h.decode(data);
        assertEq(d.kind, 9, "kind");
        assertEq(d.market, 3, "market");
        assertEqBytes(d.params.symbol, "BTC-PERP", "symbol");
        assertEq(d.params.tickSize, 10, "tickSize");
        assertEq(d.params.lotSize, 1, "lotSize");
        assertEq(d.params.sizeScale, 1000, "sizeScale");
        assertEq(d.params.initialMarginPpm, 100_000, "initialMarginPpm");
        assertEq(d.params.maintenanceMarginPpm, 50_000, "maintenanceMarginPpm");
        assertEq(d.params.makerFeePpm, 200, "makerFeePpm");
        assertEq(d.params.takerFeePpm, 500, "takerFeePpm");
        assertEq(d.params.priceBandPpm, 100_000, "priceBandPpm");
        assertEq(d.params.maxOpenOrdersPerAccount, 100, "maxOpenOrdersPerAccount");
        assertEq(d.params.fundingIntervalBlocks, 10, "fundingIntervalBlocks");
        assertEq(d.params.fundingCapPpm, 1_000, "fundingCapPpm");
        assertEq(d.params.liquidationFeePpm, 10_000, "liquidationFeePpm");
        assertEq(d.params.haltMovePpm, 100_000, "haltMovePpm");
        assertEq(d.params.haltWindowBlocks, 100, "haltWindowBlocks");
        assertEq(d.params.maxBookOrders, 10_000, "maxBookOrders");
        assertEq(d.params.maxBookLevels, 1_000, "maxBookLevels");
        assertEq(d.params.oracleSigners.length, 1, "one signer");
        assertEq(d.params.oracleSigners[0], address(0xBEEF), "signer");
        checkSignedTail(d);
    }

    // ---- every kind ----

    function test_everyKindDecodesAtItsLength() public view {
        uint256[13] memory lengths = [uint256(0), 37, 102, 107, 126, 106, 106, 98, 114, 204, 204, 98, 98];
        for (uint8 kind = 1; kind <= 12; kind++) {
            TxFixtures.Tx memory t = base(kind);
            bytes memory data = TxFixtures.encode(t);
            if (kind == 1) data = TxFixtures.encode(_deposit());
            assertEq(data.length, lengths[kind], string.concat("length of kind ", vm.toString(uint256(kind))));
            Transaction memory d = h.decode(data);
            assertEq(d.kind, kind, "kind");
            assertEq(d.account, ACCOUNT, "account");
            if (kind != 1) checkSignedTail(d);
            if (kind >= 3) assertEq(d.market, 7, "market");
        }
    }

    function test_fieldsOfEachKind() public view {
        Transaction memory d = h.decode(TxFixtures.encode(_deposit()));
        assertEq(d.amount, 0x1122334455667788, "deposit amount");
        assertEq(d.depositIndex, 0x99aabbccddeeff00, "deposit index");
        assertEq(d.nonce, 0, "a deposit has no nonce");

        TxFixtures.Tx memory t = base(2);
        t.amount = 1234;
        d = h.decode(TxFixtures.encode(t));
        assertEq(d.amount, 1234, "withdraw amount");
        assertEq(d.market, 0, "a withdraw has no market");

        t = base(3);
        (t.amount, t.toMarket) = (555, true);
        d = h.decode(TxFixtures.encode(t));
        assertEq(d.amount, 555, "transfer amount");
        assertTrue(d.toMarket, "toMarket");

        t = base(4);
        (t.isBuy, t.price, t.size, t.orderKind, t.timeInForce, t.reduceOnly, t.clientOrderId) =
            (false, 77, 88, 0, 3, true, 99);
        d = h.decode(TxFixtures.encode(t));
        assertFalse(d.isBuy, "sell");
        assertEq(d.price, 77, "price");
        assertEq(d.size, 88, "size");
        assertEq(d.orderKind, 0, "limit");
        assertEq(d.timeInForce, 3, "post-only");
        assertTrue(d.reduceOnly, "reduce-only");
        assertEq(d.clientOrderId, 99, "clientOrderId");

        t = base(6);
        t.clientOrderId = 31337;
        d = h.decode(TxFixtures.encode(t));
        assertEq(d.clientOrderId, 31337, "cancel by client id");

        t = base(8);
        (t.price, t.timestamp) = (65_000, 1_700_000_000_000);
        d = h.decode(TxFixtures.encode(t));
        assertEq(d.price, 65_000, "oracle price");
        assertEq(d.timestamp, 1_700_000_000_000, "oracle timestamp");

        t = base(10);
        t.params.symbol = "ETH-PERP-LONGEST"; // 16 characters
        t.params.signers = new address[](4);
        for (uint256 i = 0; i < 4; i++) {
            t.params.signers[i] = address(uint160(0x1000 + i));
        }
        bytes memory data = TxFixtures.encode(t);
        assertEq(data.length, 272, "the longest transaction");
        d = h.decode(data);
        assertEqBytes(d.params.symbol, "ETH-PERP-LONGEST", "symbol");
        assertEq(d.params.oracleSigners.length, 4, "four signers");
        assertEq(d.params.oracleSigners[3], address(0x1003), "last signer");
        checkSignedTail(d);

        t.params.signers = new address[](0);
        d = h.decode(TxFixtures.encode(t));
        assertEq(d.params.oracleSigners.length, 0, "no signers is well-formed");
    }

    // ---- refusals ----

    function test_emptyAndUnknownKinds() public {
        expectMalformed("", TransactionDecoder.TRUNCATED);
        expectMalformed(hex"00", TransactionDecoder.UNKNOWN_KIND);
        expectMalformed(hex"0d", TransactionDecoder.UNKNOWN_KIND);
        expectMalformed(hex"ff", TransactionDecoder.UNKNOWN_KIND);
    }

    function test_everyKindOneByteShortIsTruncatedAndOneLongIsRefused() public {
        for (uint8 kind = 1; kind <= 12; kind++) {
            bytes memory data = kind == 1 ? TxFixtures.encode(_deposit()) : TxFixtures.encode(base(kind));
            expectMalformed(_slice(data, 0, data.length - 1), TransactionDecoder.TRUNCATED);
            expectMalformed(_slice(data, 0, 1), TransactionDecoder.TRUNCATED);
            svm.expectRevert(abi.encodeWithSelector(TransactionDecoder.TrailingBytes.selector, data.length, data.length + 1));
            h.decode(bytes.concat(data, hex"00"));
        }
    }

    function test_badBools() public {
        bytes memory data = TxFixtures.encode(base(3));
        data[33] = 0x02;
        expectMalformed(data, TransactionDecoder.BAD_BOOL);

        data = TxFixtures.encode(base(4));
        data[25] = 0x02; // isBuy
        expectMalformed(data, TransactionDecoder.BAD_BOOL);
        data = TxFixtures.encode(base(4));
        data[44] = 0xff; // reduceOnly
        expectMalformed(data, TransactionDecoder.BAD_BOOL);
    }

    function test_badOrderEnums() public {
        bytes memory data = TxFixtures.encode(base(4));
        data[42] = 0x02;
        expectMalformed(data, TransactionDecoder.BAD_ORDER_KIND);
        data = TxFixtures.encode(base(4));
        data[43] = 0x04;
        expectMalformed(data, TransactionDecoder.BAD_TIME_IN_FORCE);
        // In field order: a bad order kind is reported before a bad reduce-only bool.
        data = TxFixtures.encode(base(4));
        (data[42], data[44]) = (bytes1(0x05), bytes1(0x05));
        expectMalformed(data, TransactionDecoder.BAD_ORDER_KIND);
        // The length first: a short order with a bad bool is truncated.
        data = TxFixtures.encode(base(4));
        data[25] = 0x02;
        expectMalformed(_slice(data, 0, 125), TransactionDecoder.TRUNCATED);
    }

    function test_badSymbolsAndSigners() public {
        TxFixtures.Tx memory t = base(9);
        t.params.symbol = "";
        expectMalformed(TxFixtures.encode(t), TransactionDecoder.BAD_SYMBOL_LENGTH);
        t.params.symbol = "ABCDEFGHIJKLMNOPQ"; // 17
        expectMalformed(TxFixtures.encode(t), TransactionDecoder.BAD_SYMBOL_LENGTH);
        t.params.symbol = "BTC PERP";
        expectMalformed(TxFixtures.encode(t), TransactionDecoder.BAD_SYMBOL_CHARACTER);
        t.params.symbol = hex"7f";
        expectMalformed(TxFixtures.encode(t), TransactionDecoder.BAD_SYMBOL_CHARACTER);
        t.params.symbol = hex"21";
        h.decode(TxFixtures.encode(t)); // 0x21 is the lowest visible character
        t.params.symbol = hex"7e";
        h.decode(TxFixtures.encode(t)); // 0x7e the highest
        t.params.symbol = "BTC-PERP";
        t.params.signers = new address[](5);
        expectMalformed(TxFixtures.encode(t), TransactionDecoder.TOO_MANY_ORACLE_SIGNERS);
    }

    function test_marketAdminRefusalOrder() public {
        TxFixtures.Tx memory t = base(10);
        bytes memory data = TxFixtures.encode(t);
        // Up to the symbol length.
        expectMalformed(_slice(data, 0, 25), TransactionDecoder.TRUNCATED);
        // The symbol length before anything after it.
        bytes memory cut = _slice(data, 0, 26);
        cut[25] = 0x00;
        expectMalformed(cut, TransactionDecoder.BAD_SYMBOL_LENGTH);
        // Up to the signer count before the symbol's characters.
        bytes memory bad = TxFixtures.encode(t);
        bad[26] = 0x20;
        uint256 signerCountAt = 25 + 1 + 8 + 76;
        expectMalformed(_slice(bad, 0, signerCountAt), TransactionDecoder.TRUNCATED);
        expectMalformed(_slice(bad, 0, signerCountAt + 1), TransactionDecoder.BAD_SYMBOL_CHARACTER);
        // The symbol's characters before the signer count.
        bad[signerCountAt] = 0x05;
        expectMalformed(bad, TransactionDecoder.BAD_SYMBOL_CHARACTER);
        // The signer count before the rest.
        bytes memory many = _slice(TxFixtures.encode(t), 0, signerCountAt + 1);
        many[signerCountAt] = 0x05;
        expectMalformed(many, TransactionDecoder.TOO_MANY_ORACLE_SIGNERS);
        // Inside the signers, then inside nonce and signature.
        expectMalformed(_slice(data, 0, signerCountAt + 10), TransactionDecoder.TRUNCATED);
        expectMalformed(_slice(data, 0, signerCountAt + 21 + 40), TransactionDecoder.TRUNCATED);
    }

    function _deposit() internal pure returns (TxFixtures.Tx memory t) {
        t.kind = 1;
        t.account = ACCOUNT;
        t.amount = 0x1122334455667788;
        t.depositIndex = 0x99aabbccddeeff00;
    }

    function _slice(bytes memory data, uint256 from, uint256 length) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i = 0; i < length; i++) {
            out[i] = data[from + i];
        }
    }
}
