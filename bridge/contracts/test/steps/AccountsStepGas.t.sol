// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepFixture} from "./lib/StepFixture.sol";
import {TxFixtures} from "./lib/TxFixtures.sol";
import {AccountsState, BatchInputs, L1Deposit, Leaf, MarketOutbox} from "../../src/steps/AccountsStepTypes.sol";

/// The gas of one step of each kind in a large state: proofs as deep as a tree of about 2^20 accounts, 2^20
/// transactions and messages in the batch, 2^17 blocks, 32 markets. The siblings are made up, and the state's
/// roots are what they fold to, so every proof holds. `forge test -vv --match-contract AccountsStepGas` prints
/// each step's gas; the goal is under 2M.
contract AccountsStepGasTest is StepFixture {
    uint256 internal constant ACCOUNTS_DEPTH = 21;
    uint256 internal constant TX_DEPTH = 21;
    uint256 internal constant BLOCKS_DEPTH = 17;
    uint256 internal constant OUTBOX_DEPTH = 21;
    uint256 internal constant REGISTRY_DEPTH = 6;
    uint256 internal constant ROUTED_DEPTH = 6;
    uint256 internal constant REPLIES_DEPTH = 8;
    uint256 internal constant WITHDRAWALS_DEPTH = 12;
    uint256 internal constant GOAL = 2_000_000;

    uint256 internal seed;

    function fold(bytes32 key, bytes32 node, bytes32[] memory siblings) internal pure returns (bytes32) {
        for (uint256 i = siblings.length; i > 0; i--) {
            bool right = (uint256(key) >> (256 - i)) & 1 == 1;
            node = right
                ? keccak256(abi.encodePacked(hex"01", siblings[i - 1], node))
                : keccak256(abi.encodePacked(hex"01", node, siblings[i - 1]));
        }
        return node;
    }

    /// A leaf `depth` deep (its record, or absent where its path ends in nothing) and the root it proves.
    function deep(bytes32 key, bytes memory record, uint256 depth) internal returns (Leaf memory l, bytes32 root) {
        l.record = record;
        l.siblings = new bytes32[](depth);
        for (uint256 i = 0; i < depth; i++) {
            l.siblings[i] = keccak256(abi.encode(++seed));
        }
        bytes32 node = record.length == 0 ? bytes32(0) : keccak256(abi.encodePacked(hex"00", key, keccak256(record)));
        root = fold(key, node, l.siblings);
    }

    function measure(string memory what, AccountsState memory pre, BatchInputs memory b, L1Deposit memory d, Leaf[] memory w)
        internal
        returns (AccountsState memory post)
    {
        uint256 before = gasleft();
        post = verifier.step(pre, b, d, w);
        uint256 used = before - gasleft();
        emit log_named_uint(string.concat(what, " gas"), used);
        emit log_named_uint(string.concat(what, " calldata bytes"), abi.encodeCall(verifier.step, (pre, b, d, w)).length);
        assertTrue(used < GOAL, string.concat(what, ": under 2M gas"));
    }

    function _pre() internal pure returns (AccountsState memory s) {
        s.nextDepositIndex = 123_456;
        s.totalDeposits = 5e15;
        s.totalWithdrawals = 1e15;
        s.receiptsHash = keccak256("receipts");
        s.block = 40_000;
        s.firstSequence = 900_000;
        s.txCount = 800;
        s.txIndex = 17;
        s.replyCount = 3;
    }

    function _txLeaf(AccountsState memory s, BatchInputs memory b, bytes memory record) internal returns (Leaf memory l) {
        (l, b.txRoot) = deep(kU64(s.firstSequence + s.txIndex), record, TX_DEPTH);
    }

    function _account(AccountsState memory s, address a, bytes memory record) internal returns (Leaf memory l) {
        (l, s.accountsRoot) = deep(kAccount(a), record, ACCOUNTS_DEPTH);
    }

    function test_gasBlockStart() public {
        AccountsState memory s = _pre();
        s.txIndex = s.txCount;
        s.nextReply = s.replyCount;
        BatchInputs memory b;
        Leaf memory header;
        (header, b.blocksRoot) = deep(kU64(s.block + 1), rHeader(1, s.firstSequence + s.txCount, 900), BLOCKS_DEPTH);
        AccountsState memory post = measure("BlockStart", s, b, noDeposit(), leaves(header));
        assertEq(post.block, s.block + 1, "block");
    }

    function test_gasDeposit() public {
        AccountsState memory s = _pre();
        BatchInputs memory b;
        Leaf memory t = _txLeaf(s, b, abi.encodePacked(uint8(1), alice, uint64(5e6), s.nextDepositIndex));
        Leaf memory a = _account(s, alice, rAccount(1e9, 77, 0xff));
        AccountsState memory post = measure("Deposit", s, b, L1Deposit(alice, 5e6), leaves(t, a));
        assertEq(post.accountsRoot, fold(kAccount(alice), _leafHash(kAccount(alice), rAccount(1e9 + 5e6, 77, 0xff)), a.siblings), "root");
    }

    function test_gasWithdraw() public {
        AccountsState memory s = _pre();
        BatchInputs memory b;
        TxFixtures.Tx memory x = signed(2, alice, 78, 0);
        x.amount = 1e6;
        Leaf memory t = _txLeaf(s, b, resign(x, ALICE_KEY));
        Leaf memory a = _account(s, alice, rAccount(1e9, 77, 0xff));
        Leaf memory wd;
        (wd, s.withdrawalsRoot) = deep(kBlockTx(s.block, s.txIndex), "", WITHDRAWALS_DEPTH);
        AccountsState memory post = measure("Withdraw", s, b, noDeposit(), leaves(t, a, wd));
        assertEq(post.totalWithdrawals, 1e15 + 1e6, "withdrawn");
    }

    function test_gasPlaceOrder() public {
        AccountsState memory s = _pre();
        BatchInputs memory b;
        TxFixtures.Tx memory x = signed(4, alice, 78, 0);
        (x.isBuy, x.price, x.size, x.clientOrderId) = (true, 3_000_000, 25, 42);
        Leaf memory t = _txLeaf(s, b, resign(x, ALICE_KEY));
        Leaf memory a = _account(s, alice, rAccount(1e9, 77, 0xff));
        Leaf[] memory w = _routing(s, leaves(t, a), 5);
        AccountsState memory post = measure("PlaceOrder (routed)", s, b, noDeposit(), w);
        assertEq(post.txIndex, s.txIndex + 1, "txIndex");
    }

    function test_gasTransferMargin() public {
        AccountsState memory s = _pre();
        BatchInputs memory b;
        TxFixtures.Tx memory x = signed(3, alice, 78, 0);
        (x.amount, x.toMarket) = (1e6, true);
        Leaf memory t = _txLeaf(s, b, resign(x, ALICE_KEY));
        Leaf memory a = _account(s, alice, rAccount(1e9, 77, 0xff));
        Leaf[] memory w = _routing(s, leaves(t, a), 6);
        (w[5], s.repliesRoot) = deep(kU32(s.replyCount), "", REPLIES_DEPTH);
        AccountsState memory post = measure("TransferMargin (to a market)", s, b, noDeposit(), w);
        assertEq(post.replyCount, s.replyCount + 1, "reply expected");
    }

    function test_gasCreateMarket() public {
        AccountsState memory s = _pre();
        BatchInputs memory b;
        TxFixtures.Tx memory x = signed(9, operator, 3, 0);
        x.market = NEW_MARKET;
        x.params.symbol = "ETH-PERP-LONGEST";
        x.params.signers = new address[](4);
        for (uint256 i = 0; i < 4; i++) {
            x.params.signers[i] = address(uint160(0xA0 + i));
        }
        Leaf memory t = _txLeaf(s, b, resign(x, OPERATOR_KEY));
        Leaf memory a = _account(s, operator, rAccount(0, 2, 0x7));
        Leaf[] memory w = new Leaf[](5);
        (w[0], w[1]) = (t, a);
        (w[2], s.registryRoot) = deep(kU32(NEW_MARKET), "", REGISTRY_DEPTH);
        (w[3], s.routedRoot) = deep(kU32(NEW_MARKET), "", ROUTED_DEPTH);
        (w[4], s.outboxRoot) = deep(kOutbox(NEW_MARKET, s.block, 0), "", OUTBOX_DEPTH);
        AccountsState memory post = measure("CreateMarket (16-byte symbol, 4 signers)", s, b, noDeposit(), w);
        assertTrue(post.registryRoot != s.registryRoot, "registered");
    }

    function test_gasReply() public {
        AccountsState memory s = _pre();
        s.txIndex = s.txCount;
        BatchInputs memory b;
        Leaf[] memory w = new Leaf[](3);
        (w[0], s.repliesRoot) = deep(kU32(0), abi.encodePacked(MARKET, uint32(12)), REPLIES_DEPTH);
        bytes32 marketOutbox;
        (w[1], marketOutbox) = deep(kBlockTx(s.block, 12), rAccountAmount(alice, 5e5), OUTBOX_DEPTH);
        w[2] = _account(s, alice, rAccount(1e9, 77, 0xff));
        b.outboxes = new MarketOutbox[](32);
        for (uint32 m = 0; m < 32; m++) {
            b.outboxes[m] = MarketOutbox(m, m == MARKET ? marketOutbox : keccak256(abi.encode(m)));
        }
        AccountsState memory post = measure("Reply (credit)", s, b, noDeposit(), w);
        assertEq(post.nextReply, 1, "taken");
    }

    /// Leaves 2.. of a routed step: the registry (present), the routed count (9 so far), the outbox (absent).
    function _routing(AccountsState memory s, Leaf[] memory head, uint256 total) internal returns (Leaf[] memory w) {
        w = new Leaf[](total);
        (w[0], w[1]) = (head[0], head[1]);
        (w[2], s.registryRoot) = deep(kU32(MARKET), hex"01", REGISTRY_DEPTH);
        (w[3], s.routedRoot) = deep(kU32(MARKET), abi.encodePacked(uint32(9)), ROUTED_DEPTH);
        (w[4], s.outboxRoot) = deep(kOutbox(MARKET, s.block, 9), "", OUTBOX_DEPTH);
    }

    function _leafHash(bytes32 key, bytes memory record) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"00", key, keccak256(record)));
    }
}
