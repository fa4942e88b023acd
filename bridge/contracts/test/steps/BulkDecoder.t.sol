// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {Bulk, BulkDecoder, BulkItem, BulkSignature} from "../../src/steps/BulkDecoder.sol";
import {SignerRecovery} from "../../src/steps/SignerRecovery.sol";
import {TransactionDecoder} from "../../src/steps/TransactionDecoder.sol";
import {TransactionEip712} from "../../src/steps/TransactionEip712.sol";

contract BulkHarness {
    function decode(bytes calldata data) external pure returns (Bulk memory b, BulkSignature memory sig) {
        return BulkDecoder.decode(data);
    }

    /// What a market's steps read: the same checks, no signature.
    function decodeItems(bytes calldata data) external pure returns (Bulk memory b) {
        (b,) = BulkDecoder.decodeItems(data);
    }

    function digest(bytes32 separator, bytes calldata data) external pure returns (bytes32) {
        (Bulk memory b, BulkSignature memory sig) = BulkDecoder.decode(data);
        return TransactionEip712.digestOf(separator, BulkDecoder.hashStruct(b, sig.nonce));
    }

    function signer(bytes32 separator, bytes calldata data) external pure returns (address) {
        (Bulk memory b, BulkSignature memory sig) = BulkDecoder.decode(data);
        return SignerRecovery.tryRecover(TransactionEip712.digestOf(separator, BulkDecoder.hashStruct(b, sig.nonce)), sig.r, sig.s, sig.v);
    }
}

/// @notice The bulk decoder against the layout of docs/transactions.md and its EIP-712 hash against ethers'.
contract BulkDecoderTest is StepsTest {
    BulkHarness internal h;
    bytes32 internal separator;

    address internal constant WALLET = 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23;

    function setUp() public {
        h = new BulkHarness();
        separator = TransactionEip712.domainSeparator(31337, 0x5FbDB2315678afecb367f032d93F642f64180aa3);
    }

    // ---- items, as docs/transactions.md lays them out ----

    function _place(bool isBuy, uint64 price, uint64 size, uint8 kind, uint8 tif, bool reduceOnly, uint64 cid)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(isBuy, price, size, kind, tif, reduceOnly, cid);
    }

    function _bulk(uint8 count, bytes memory items, bytes memory tail) internal pure returns (bytes memory) {
        return bytes.concat(abi.encodePacked(uint8(13), WALLET, uint32(5), count), items, tail);
    }

    function _tail(uint64 nonce) internal pure returns (bytes memory) {
        return abi.encodePacked(nonce, bytes32(uint256(1)), bytes32(uint256(2)), uint8(27));
    }

    /// The message of vectors/eip712-vectors.mjs: a cancel-replace, a place, a cancel by client id.
    function _vector() internal pure returns (bytes memory) {
        bytes memory items = bytes.concat(
            abi.encodePacked(uint8(3), uint64(7_340_033), _place(false, 2990, 4, 0, 3, true, 77)),
            abi.encodePacked(uint8(0), _place(true, 2950, 6, 0, 0, false, 0)),
            abi.encodePacked(uint8(2), uint64(41))
        );
        bytes memory tail = abi.encodePacked(
            uint64(12),
            bytes32(0x11391033b8841e0fc92dd4c222ae345ecc849c55177fec3a12ba9da8c65022a8),
            bytes32(0x091aaa36a40582df4ca8fcb41d2350b4c504a54b943d8b23997b17cf5b4899ca),
            uint8(27)
        );
        return _bulk(3, items, tail);
    }

    function test_ethersVector() public view {
        bytes memory data = _vector();
        assertEq(data.length, 99 + 37 + 29 + 9, "99 + the items' lengths");
        assertEq(h.digest(separator, data), 0xb6d83e896e1df55ae643d432cfcf4d34cf4127c1b84256f3de646f372333add4, "Bulk");
        assertEq(h.signer(separator, data), WALLET, "Bulk signer");
    }

    function test_theFieldsAreReadInPlace() public view {
        (Bulk memory b, BulkSignature memory sig) = h.decode(_vector());
        assertEq(b.account, WALLET, "account");
        assertEq(uint256(b.market), 5, "market");
        assertEq(b.items.length, 3, "count");
        assertEq(uint256(sig.nonce), 12, "nonce");
        assertEq(uint256(sig.v), 27, "v");
        BulkItem memory a = b.items[0];
        assertEq(uint256(a.action), 3, "cancel-replace");
        assertEq(uint256(a.orderId), 7_340_033, "orderId");
        assertTrue(!a.isBuy && a.reduceOnly, "bools");
        assertEq(uint256(a.price), 2990, "price");
        assertEq(uint256(a.size), 4, "size");
        assertEq(uint256(a.timeInForce), 3, "post-only");
        assertEq(uint256(a.clientOrderId), 77, "client id");
        assertEq(uint256(b.items[1].orderId), 0, "a place carries no order id");
        assertEq(uint256(b.items[2].clientOrderId), 41, "cancel by client id");
        assertEq(uint256(b.items[2].price), 0, "and nothing else");
    }

    // ---- refusals, in the codec's order ----

    function _refuses(bytes memory data, uint8 reason) internal {
        svm.expectRevert(abi.encodeWithSelector(TransactionDecoder.MalformedTransaction.selector, reason));
        h.decode(data);
        svm.expectRevert(abi.encodeWithSelector(TransactionDecoder.MalformedTransaction.selector, reason));
        h.decodeItems(data);
    }

    function test_refusals() public {
        bytes memory cancel = abi.encodePacked(uint8(1), uint64(9));
        _refuses(abi.encodePacked(uint8(13), WALLET, uint32(5)), 1); // ends before the count
        _refuses(_bulk(0, "", _tail(1)), 11);
        bytes memory many;
        for (uint256 i = 0; i < 65; i++) many = bytes.concat(many, cancel);
        _refuses(_bulk(65, many, _tail(1)), 11);
        _refuses(_bulk(2, bytes.concat(cancel, abi.encodePacked(uint8(7))), _tail(1)), 12); // the second item's action
        _refuses(_bulk(1, abi.encodePacked(uint8(4), uint64(9)), _tail(1)), 12);
        _refuses(_bulk(1, abi.encodePacked(uint8(0), uint64(9)), ""), 1); // a place cut short
        _refuses(_bulk(1, abi.encodePacked(uint8(0), uint8(2), new bytes(27)), _tail(1)), 3); // isBuy 2
        _refuses(_bulk(1, abi.encodePacked(uint8(0), _place(true, 1, 1, 2, 0, false, 0)), _tail(1)), 4);
        _refuses(_bulk(1, abi.encodePacked(uint8(0), _place(true, 1, 1, 0, 4, false, 0)), _tail(1)), 5);
        _refuses(_bulk(1, cancel, abi.encodePacked(uint64(1))), 1); // no signature
        bytes memory two = bytes.concat(
            abi.encodePacked(uint8(0), _place(true, 1, 1, 0, 0, false, 8)),
            abi.encodePacked(uint8(3), uint64(4), _place(false, 2, 1, 0, 0, false, 8))
        );
        _refuses(_bulk(2, two, _tail(1)), 13);
        // A truncated tail is met before the duplicate.
        _refuses(_bulk(2, two, abi.encodePacked(uint64(1))), 1);
    }

    function test_clientIdsNeedOnlyBeUniqueAmongPlacingItems() public view {
        bytes memory items = bytes.concat(
            abi.encodePacked(uint8(2), uint64(8)), // cancel by client id 8
            abi.encodePacked(uint8(0), _place(true, 1, 1, 0, 0, false, 8)), // then place one with id 8
            abi.encodePacked(uint8(0), _place(true, 1, 1, 0, 0, false, 0)), // two zero ids
            abi.encodePacked(uint8(0), _place(true, 1, 1, 0, 0, false, 0))
        );
        assertEq(h.decodeItems(_bulk(4, items, _tail(1))).items.length, 4, "decodes");
    }

    function test_sixtyFourItemsDecodeAndTrailingBytesDoNot() public {
        bytes memory many;
        for (uint256 i = 0; i < 64; i++) many = bytes.concat(many, abi.encodePacked(uint8(1), uint64(i)));
        bytes memory data = _bulk(64, many, _tail(1));
        assertEq(h.decodeItems(data).items.length, 64, "64 items");
        svm.expectRevert(abi.encodeWithSelector(TransactionDecoder.TrailingBytes.selector, data.length, data.length + 1));
        h.decode(bytes.concat(data, hex"00"));
    }
}
