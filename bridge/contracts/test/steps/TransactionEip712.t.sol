// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {TxFixtures} from "./lib/TxFixtures.sol";
import {Transaction, TransactionDecoder} from "../../src/steps/TransactionDecoder.sol";
import {TransactionEip712} from "../../src/steps/TransactionEip712.sol";
import {SignerRecovery} from "../../src/steps/SignerRecovery.sol";

contract SigningHarness {
    function domainSeparator(uint256 chainId, address verifyingContract) external pure returns (bytes32) {
        return TransactionEip712.domainSeparator(chainId, verifyingContract);
    }

    function digest(bytes32 separator, bytes calldata data) external pure returns (bytes32) {
        return TransactionEip712.digest(separator, TransactionDecoder.decode(data));
    }

    /// The signer of an encoded transaction as the verifier recovers it: the digest of the decoded fields, the
    /// signature the encoding carries.
    function signer(bytes32 separator, bytes calldata data) external pure returns (address) {
        Transaction memory t = TransactionDecoder.decode(data);
        return SignerRecovery.tryRecover(TransactionEip712.digest(separator, t), t.r, t.s, t.v);
    }

    function recover(bytes32 d, bytes32 r, bytes32 s, uint8 v) external pure returns (address) {
        return SignerRecovery.tryRecover(d, r, s, v);
    }
}

contract TransactionEip712Test is StepsTest {
    SigningHarness internal h;

    uint256 internal constant KEY = 0xA11CE;
    uint256 internal constant CHAIN_ID = 31337;
    address internal constant SETTLEMENT = 0x5FbDB2315678afecb367f032d93F642f64180aa3;
    bytes32 internal separator;

    function setUp() public {
        h = new SigningHarness();
        separator = TxFixtures.domainSeparator(CHAIN_ID, SETTLEMENT);
    }

    function sample(uint8 kind, address account) internal pure returns (TxFixtures.Tx memory t) {
        t.kind = kind;
        t.account = account;
        t.market = 0xfedcba98;
        t.amount = 0x0123456789abcdef;
        t.toMarket = true;
        t.isBuy = true;
        t.price = 3_000_000;
        t.size = 25;
        t.orderKind = 1;
        t.timeInForce = 2;
        t.reduceOnly = true;
        t.clientOrderId = type(uint64).max;
        t.orderId = 0x0102030405060708;
        t.timestamp = 1_700_000_000_123;
        t.nonce = 0xdeadbeef;
        t.params = TxFixtures.validParams(address(0xBEEF));
    }

    function test_theDomainSeparator() public view {
        assertEq(h.domainSeparator(CHAIN_ID, SETTLEMENT), separator, "domain");
        // ethers' TypedDataEncoder.hashDomain (vectors/eip712-vectors.mjs).
        assertEq(separator, 0x1857506b284fa0b77bd7954f9a37b8f6fefaaa206d8bc3a74137d5de17605d1b, "ethers");
    }

    function test_everySignedKindRecoversItsSigner() public view {
        address account = svm.addr(KEY);
        for (uint8 kind = 2; kind <= 12; kind++) {
            TxFixtures.Tx memory t = sample(kind, account);
            for (uint256 form = 0; form < 2; form++) {
                signTx(t, KEY, separator, form == 0);
                bytes memory data = TxFixtures.encode(t);
                string memory what = string.concat("kind ", vm.toString(uint256(kind)));
                assertEq(h.digest(separator, data), TxFixtures.digest(separator, t), string.concat(what, ": digest"));
                assertEq(h.signer(separator, data), account, string.concat(what, ": signer"));
            }
        }
    }

    function test_aDigestCoversEveryField() public view {
        // A signature over one transaction does not recover to the account for any single changed field.
        address account = svm.addr(KEY);
        TxFixtures.Tx memory t = sample(4, account);
        signTx(t, KEY, separator, true);
        bytes memory data = TxFixtures.encode(t);
        // Each byte of the order's fields (not the kind byte, not the signature) flipped in turn.
        for (uint256 i = 1; i < data.length - 65; i++) {
            bytes memory changed = bytes.concat(data);
            // Keep bools and enums well-formed: flip their lowest bit only.
            changed[i] = (i == 25 || i == 42 || i == 43 || i == 44) ? data[i] ^ 0x01 : data[i] ^ 0x80;
            assertTrue(h.signer(separator, changed) != account, string.concat("byte ", vm.toString(i)));
        }
        // Nor in another domain.
        bytes32 otherChain = TxFixtures.domainSeparator(CHAIN_ID + 1, SETTLEMENT);
        assertTrue(h.signer(otherChain, data) != account, "another chain id");
        bytes32 otherContract = TxFixtures.domainSeparator(CHAIN_ID, address(0xdead));
        assertTrue(h.signer(otherContract, data) != account, "another settlement contract");
    }

    function test_marketParamsAreCoveredToTheirLastSigner() public view {
        address account = svm.addr(KEY);
        TxFixtures.Tx memory t = sample(9, account);
        t.params.signers = new address[](4);
        for (uint256 i = 0; i < 4; i++) {
            t.params.signers[i] = address(uint160(0xA0 + i));
        }
        signTx(t, KEY, separator, true);
        assertEq(h.signer(separator, TxFixtures.encode(t)), account, "four signers");
        t.params.signers[3] = address(0xA9);
        assertTrue(h.signer(separator, TxFixtures.encode(t)) != account, "last signer changed");
        t.params.signers = new address[](0);
        signTx(t, KEY, separator, false);
        assertEq(h.signer(separator, TxFixtures.encode(t)), account, "no signers: keccak256 of nothing");
    }

    function test_ethersVectors() public view {
        // vectors/eip712-vectors.mjs: ethers' TypedDataEncoder.hash and Wallet.signTypedData.
        address wallet = 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23;
        TxFixtures.Tx memory order;
        (order.kind, order.account, order.market, order.isBuy, order.price, order.size) = (4, wallet, 1, true, 3_000_000, 25);
        (order.orderKind, order.timeInForce, order.reduceOnly, order.clientOrderId, order.nonce) =
            (1, 1, false, type(uint64).max, 1);
        order.sig = abi.encodePacked(
            bytes32(0xe4b4d3d58fc3940b980b02b850b0d263ad554753f23cde0d0a89e5058e8cc305),
            bytes32(0x4ab0cc811291e0387822a7b04350659fc74af80024c5a78a6c26e73164187682),
            uint8(27)
        );
        bytes memory data = TxFixtures.encode(order);
        assertEq(h.digest(separator, data), 0x20d595da2b670c9f0bc08745e3cfe677a00449139644a652745d84483ce2ba6e, "Order");
        assertEq(h.signer(separator, data), wallet, "Order signer");

        TxFixtures.Tx memory create;
        (create.kind, create.account, create.market, create.nonce) = (9, wallet, 3, 9);
        create.params = TxFixtures.validParams(address(0xBEEF));
        create.params.signers = new address[](2);
        (create.params.signers[0], create.params.signers[1]) = (address(0xBEEF), address(0xCAFE));
        create.sig = abi.encodePacked(
            bytes32(0x7d343da53d85fabf21f0ece811c90b9e512506e54b7a84705c21bf93f1f1a85e),
            bytes32(0x3f8e338e913965bfa5ecd41f27f1a8f78da104e6875ed2646018854d5144c9cf),
            uint8(27)
        );
        data = TxFixtures.encode(create);
        assertEq(h.digest(separator, data), 0xd67f1d318071425f5d9591db427baa5611947f6ff69e8099bed5bd986a7212a0, "CreateMarket");
        assertEq(h.signer(separator, data), wallet, "CreateMarket signer");
    }

    // ---- what the recovery refuses ----

    function test_highSIsRefused() public view {
        bytes32 d = keccak256("a digest");
        (uint8 v, bytes32 r, bytes32 s) = svm.sign(KEY, d);
        address signer = svm.addr(KEY);
        assertEq(h.recover(d, r, s, v), signer, "low s");
        // The malleable twin: s' = n − s with the other recovery id. ecrecover itself accepts it.
        bytes32 highS = bytes32(TxFixtures.N - uint256(s));
        uint8 otherV = v == 27 ? 28 : 27;
        assertEq(ecrecover(d, otherV, r, highS), signer, "ecrecover accepts the twin");
        assertEq(h.recover(d, r, highS, otherV), address(0), "the verifier does not");
        assertEq(h.recover(d, r, highS, otherV - 27), address(0), "nor with v 0/1");
        assertEq(h.recover(d, r, bytes32(SignerRecovery.HALF_CURVE_ORDER + 1), v), address(0), "s = n/2 + 1");
    }

    function test_onlyVZeroOneTwentySevenTwentyEight() public view {
        bytes32 d = keccak256("another digest");
        (uint8 v, bytes32 r, bytes32 s) = svm.sign(KEY, d);
        address signer = svm.addr(KEY);
        assertEq(h.recover(d, r, s, v), signer, "27/28");
        assertEq(h.recover(d, r, s, v - 27), signer, "0/1");
        uint8[6] memory refused = [2, 26, 29, 30, 54, 255];
        for (uint256 i = 0; i < refused.length; i++) {
            assertEq(h.recover(d, r, s, refused[i]), address(0), string.concat("v ", vm.toString(uint256(refused[i]))));
        }
    }

    function test_scalarsOutOfRange() public view {
        bytes32 d = keccak256("a third digest");
        (uint8 v, bytes32 r, bytes32 s) = svm.sign(KEY, d);
        assertEq(h.recover(d, 0, s, v), address(0), "r = 0");
        assertEq(h.recover(d, r, 0, v), address(0), "s = 0");
        assertEq(h.recover(d, bytes32(TxFixtures.N), s, v), address(0), "r = n");
        assertEq(h.recover(d, bytes32(type(uint256).max), s, v), address(0), "r = 2^256 - 1");
    }
}
