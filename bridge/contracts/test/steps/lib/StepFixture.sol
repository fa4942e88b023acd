// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./StepsTest.sol";
import {StepTrees} from "./StepTrees.sol";
import {TxFixtures} from "./TxFixtures.sol";
import {AccountsStepVerifier} from "../../../src/steps/AccountsStepVerifier.sol";
import {AccountsState, BatchInputs, L1Deposit, Leaf, MarketOutbox} from "../../../src/steps/AccountsStepTypes.sol";

/// @notice A small accounts domain in the middle of a block, its trees held as records (docs/steps.md, "The
/// witness, leaf by leaf"), and the keys, records and receipts of the step rules written out for the tests.
abstract contract StepFixture is StepsTest {
    using StepTrees for StepTrees.Tree;

    struct World {
        StepTrees.Tree txs;
        StepTrees.Tree blocks;
        StepTrees.Tree accounts;
        StepTrees.Tree registry;
        StepTrees.Tree withdrawals;
        StepTrees.Tree outbox;
        StepTrees.Tree routed;
        StepTrees.Tree replies;
        AccountsState state; // scalars and cursor; the roots come from the trees
        MarketOutbox[] outboxes;
    }

    uint256 internal constant CHAIN_ID = 31337;
    address internal constant SETTLEMENT = 0x5FbDB2315678afecb367f032d93F642f64180aa3;
    uint256 internal constant ALICE_KEY = 0xA11CE;
    uint256 internal constant BOB_KEY = 0xB0B;
    uint256 internal constant OPERATOR_KEY = 0x0BE7A70;
    uint256 internal constant CAROL_KEY = 0xCA201; // not in any tree

    uint64 internal constant BLOCK = 7;
    uint64 internal constant FIRST_SEQUENCE = 100;
    uint32 internal constant TX_INDEX = 1;
    uint64 internal constant SEQUENCE = FIRST_SEQUENCE + TX_INDEX;
    uint32 internal constant NEXT_SLOT = 7; // transaction 0 was a bulk of seven items
    uint32 internal constant MARKET = 2; // registered, two messages routed to it this block
    uint32 internal constant OTHER_MARKET = 1; // registered, nothing routed this block
    uint32 internal constant NEW_MARKET = 9; // not registered

    AccountsStepVerifier internal verifier;
    bytes32 internal separator;
    address internal alice;
    address internal bob;
    address internal operator;
    address internal carol;

    function setUp() public virtual {
        alice = svm.addr(ALICE_KEY);
        bob = svm.addr(BOB_KEY);
        operator = svm.addr(OPERATOR_KEY);
        carol = svm.addr(CAROL_KEY);
        address[] memory operators = new address[](2);
        (operators[0], operators[1]) = (address(0x0e0e), operator);
        verifier = new AccountsStepVerifier(CHAIN_ID, SETTLEMENT, operators);
        separator = TxFixtures.domainSeparator(CHAIN_ID, SETTLEMENT);
    }

    // ---- keys and records, from docs/steps.md ----

    function kU64(uint64 v) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(v));
    }

    function kU32(uint32 v) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(v));
    }

    function kAccount(address a) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(a));
    }

    function kBlockTx(uint64 blockNumber, uint32 txIndex) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(blockNumber, txIndex));
    }

    function kOutbox(uint32 market, uint64 blockNumber, uint32 j) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(market, blockNumber, j));
    }

    function rAccount(int64 balance, uint64 highest, uint64 used) internal pure returns (bytes memory) {
        return abi.encodePacked(balance, highest, used);
    }

    /// An account record holding one credit (docs/state.md, "Held credits"): u8 1 ‖ u32 market ‖ u64 block ‖ i64 amount.
    function rAccountHeld(int64 balance, uint64 highest, uint64 used, uint32 market, uint64 blockNumber, int64 amount)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(balance, highest, used, uint8(1), market, blockNumber, amount);
    }

    function rAccountAmount(address a, int64 amount) internal pure returns (bytes memory) {
        return abi.encodePacked(a, amount);
    }

    function rMessage(uint64 sequence, uint32 txIndex, uint32 slot) internal pure returns (bytes memory) {
        return abi.encodePacked(sequence, txIndex, slot);
    }

    function rHeader(uint64 timestamp, uint64 firstSequence, uint32 txCount) internal pure returns (bytes memory) {
        return abi.encodePacked(timestamp, firstSequence, txCount);
    }

    function receipt(bytes32 h, uint64 sequence, uint8 status) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(h, sequence, status));
    }

    // ---- the world ----

    /// Block 7, its transaction 1 next (sequence 101) of 5; alice (1000, nonces 0..4 used) and bob (500, nonce 0
    /// used) among other accounts; markets 1 and 2 registered among others; two messages to market 2 and one
    /// expected reply (from market 2 for transaction 0) so far this block.
    function world() internal view returns (World memory w) {
        w.txs = StepTrees.empty();
        for (uint64 q = FIRST_SEQUENCE; q < FIRST_SEQUENCE + 5; q++) {
            w.txs = w.txs.put(kU64(q), abi.encodePacked(uint8(1), address(uint160(q)), uint64(q), uint64(q)));
        }
        w.blocks = StepTrees.empty();
        w.blocks = w.blocks.put(kU64(BLOCK), rHeader(1_700_000_000, FIRST_SEQUENCE, 5));
        w.blocks = w.blocks.put(kU64(BLOCK + 1), rHeader(1_700_000_002, FIRST_SEQUENCE + 5, 3));
        w.accounts = StepTrees.empty();
        w.accounts = w.accounts.put(kAccount(alice), rAccount(1000, 4, 0x1f));
        w.accounts = w.accounts.put(kAccount(bob), rAccount(500, 0, 1));
        for (uint160 i = 1; i <= 6; i++) {
            w.accounts = w.accounts.put(kAccount(address(i * 0x1111)), rAccount(int64(uint64(i)) * 10, 0, 1));
        }
        w.registry = StepTrees.empty();
        uint32[5] memory markets = [OTHER_MARKET, MARKET, 3, 5, 8];
        for (uint256 i = 0; i < markets.length; i++) {
            w.registry = w.registry.put(kU32(markets[i]), hex"01");
        }
        w.withdrawals = StepTrees.empty();
        w.withdrawals = w.withdrawals.put(kBlockTx(BLOCK - 1, 0), rAccountAmount(bob, 100));
        w.outbox = StepTrees.empty();
        w.outbox = w.outbox.put(kOutbox(OTHER_MARKET, BLOCK - 1, 0), rMessage(90, 0, 0));
        w.outbox = w.outbox.put(kOutbox(MARKET, BLOCK, 0), rMessage(FIRST_SEQUENCE, 0, 0));
        w.outbox = w.outbox.put(kOutbox(MARKET, BLOCK, 1), rMessage(FIRST_SEQUENCE, 0, 0));
        w.routed = StepTrees.empty();
        w.routed = w.routed.put(kU32(MARKET), abi.encodePacked(uint32(2)));
        w.replies = StepTrees.empty();
        w.replies = w.replies.put(kU32(0), abi.encodePacked(MARKET, uint32(0)));

        AccountsState memory s = w.state;
        s.nextDepositIndex = 3;
        s.totalDeposits = 10_000;
        s.totalWithdrawals = 2_000;
        s.receiptsHash = keccak256("the receipts so far");
        s.block = BLOCK;
        s.firstSequence = FIRST_SEQUENCE;
        s.txCount = 5;
        s.txIndex = TX_INDEX;
        s.nextSlot = NEXT_SLOT;
        s.replyCount = 1;
        s.nextReply = 0;
        w.outboxes = new MarketOutbox[](0);
    }

    /// A deep copy: the expected world is changed from it while `w` stays the state before.
    function clone(World memory w) internal pure returns (World memory c) {
        c.txs = w.txs.copy();
        c.blocks = w.blocks.copy();
        c.accounts = w.accounts.copy();
        c.registry = w.registry.copy();
        c.withdrawals = w.withdrawals.copy();
        c.outbox = w.outbox.copy();
        c.routed = w.routed.copy();
        c.replies = w.replies.copy();
        c.state = abi.decode(abi.encode(w.state), (AccountsState));
        c.outboxes = w.outboxes;
    }

    /// The step state of `w`: its scalars with its trees' roots.
    function state(World memory w) internal pure returns (AccountsState memory s) {
        s = abi.decode(abi.encode(w.state), (AccountsState));
        s.accountsRoot = w.accounts.root();
        s.registryRoot = w.registry.root();
        s.withdrawalsRoot = w.withdrawals.root();
        s.outboxRoot = w.outbox.root();
        s.repliesRoot = w.replies.root();
        s.routedRoot = w.routed.root();
    }

    function batch(World memory w) internal pure returns (BatchInputs memory b) {
        b.txRoot = w.txs.root();
        b.blocksRoot = w.blocks.root();
        b.outboxes = w.outboxes;
    }

    function noDeposit() internal pure returns (L1Deposit memory) {}

    // ---- transactions ----

    function signed(uint8 kind, address account, uint64 nonce, uint256 key) internal view returns (TxFixtures.Tx memory t) {
        t.kind = kind;
        t.account = account;
        t.nonce = nonce;
        t.market = MARKET;
        t.params = TxFixtures.validParams(address(0x0AC1E));
        if (key != 0) signTx(t, key, separator, true);
    }

    function resign(TxFixtures.Tx memory t, uint256 key) internal view returns (bytes memory) {
        signTx(t, key, separator, true);
        return TxFixtures.encode(t);
    }

    /// `w` with `record` as the block's transaction TX_INDEX (sequence 101).
    function withTx(World memory w, bytes memory record) internal pure returns (World memory) {
        w.txs = w.txs.put(kU64(SEQUENCE), record);
        return w;
    }

    // ---- witnesses ----

    function leaves(Leaf memory a) internal pure returns (Leaf[] memory l) {
        l = new Leaf[](1);
        l[0] = a;
    }

    function leaves(Leaf memory a, Leaf memory b) internal pure returns (Leaf[] memory l) {
        l = new Leaf[](2);
        (l[0], l[1]) = (a, b);
    }

    function leaves(Leaf memory a, Leaf memory b, Leaf memory c) internal pure returns (Leaf[] memory l) {
        l = new Leaf[](3);
        (l[0], l[1], l[2]) = (a, b, c);
    }

    function leaves(Leaf memory a, Leaf memory b, Leaf memory c, Leaf memory d, Leaf memory e)
        internal
        pure
        returns (Leaf[] memory l)
    {
        l = new Leaf[](5);
        (l[0], l[1], l[2], l[3], l[4]) = (a, b, c, d, e);
    }

    function leaves(Leaf memory a, Leaf memory b, Leaf memory c, Leaf memory d, Leaf memory e, Leaf memory f)
        internal
        pure
        returns (Leaf[] memory l)
    {
        l = new Leaf[](6);
        (l[0], l[1], l[2], l[3], l[4], l[5]) = (a, b, c, d, e, f);
    }

    function txLeaf(World memory w) internal pure returns (Leaf memory) {
        return w.txs.leaf(kU64(SEQUENCE));
    }

    /// The witness of a transaction of `account` routed to MARKET as its message 2 of the block: the transaction, the
    /// account, the registry leaf, the routed count, the absent message leaf.
    function routedWitness(World memory w, address account) internal pure returns (Leaf[] memory) {
        return leaves(
            txLeaf(w),
            w.accounts.leaf(kAccount(account)),
            w.registry.leaf(kU32(MARKET)),
            w.routed.leaf(kU32(MARKET)),
            w.outbox.leaf(kOutbox(MARKET, BLOCK, 2))
        );
    }

    // ---- running and checking ----

    function run(World memory w, L1Deposit memory deposit, Leaf[] memory witness) internal view returns (AccountsState memory) {
        return verifier.step(state(w), batch(w), deposit, witness);
    }

    function expectStep(World memory w, L1Deposit memory deposit, Leaf[] memory witness, World memory expected)
        internal
        view
    {
        assertState(run(w, deposit, witness), state(expected));
    }

    function assertState(AccountsState memory a, AccountsState memory e) internal pure {
        assertEq(a.accountsRoot, e.accountsRoot, "accountsRoot");
        assertEq(a.registryRoot, e.registryRoot, "registryRoot");
        assertEq(a.nextDepositIndex, e.nextDepositIndex, "nextDepositIndex");
        assertEq(a.totalDeposits, e.totalDeposits, "totalDeposits");
        assertEq(a.totalWithdrawals, e.totalWithdrawals, "totalWithdrawals");
        assertEq(a.withdrawalsRoot, e.withdrawalsRoot, "withdrawalsRoot");
        assertEq(a.outboxRoot, e.outboxRoot, "outboxRoot");
        assertEq(a.receiptsHash, e.receiptsHash, "receiptsHash");
        assertEq(a.block, e.block, "block");
        assertEq(a.firstSequence, e.firstSequence, "firstSequence");
        assertEq(a.txCount, e.txCount, "txCount");
        assertEq(a.txIndex, e.txIndex, "txIndex");
        assertEq(a.repliesRoot, e.repliesRoot, "repliesRoot");
        assertEq(a.replyCount, e.replyCount, "replyCount");
        assertEq(a.nextReply, e.nextReply, "nextReply");
        assertEq(a.routedRoot, e.routedRoot, "routedRoot");
        assertEq(a.nextSlot, e.nextSlot, "nextSlot");
    }

    /// The expected world after a transaction step whose receipt `status` is decided by the accounts domain.
    function decided(World memory e, uint8 status) internal pure returns (World memory) {
        e.state.receiptsHash = receipt(e.state.receiptsHash, SEQUENCE, status);
        e.state.txIndex += 1;
        e.state.nextSlot += 1;
        return e;
    }

    /// The expected world after a routed transaction step (its receipt is the market's).
    function routedTo(World memory e, uint32 market, uint32 j) internal pure returns (World memory) {
        e.routed = e.routed.put(kU32(market), abi.encodePacked(j + 1));
        e.outbox = e.outbox.put(kOutbox(market, BLOCK, j), rMessage(SEQUENCE, TX_INDEX, NEXT_SLOT));
        return e;
    }

    function expectsReply(World memory e, uint32 market) internal pure returns (World memory) {
        e.replies = e.replies.put(kU32(e.state.replyCount), abi.encodePacked(market, TX_INDEX));
        e.state.replyCount += 1;
        return e;
    }

    // ---- Alice's money kinds ----

    function aliceWithdraw(uint64 amount, uint64 nonce) internal view returns (bytes memory) {
        TxFixtures.Tx memory t = signed(2, alice, nonce, 0);
        t.amount = amount;
        return resign(t, ALICE_KEY);
    }

    function aliceTransfer(uint32 market, uint64 amount, bool toMarket) internal view returns (bytes memory) {
        TxFixtures.Tx memory t = signed(3, alice, 5, 0);
        (t.market, t.amount, t.toMarket) = (market, amount, toMarket);
        return resign(t, ALICE_KEY);
    }

    /// The expected world after Alice's TransferMargin with `market` is routed as its message j (a reply expected),
    /// her account left to the caller; and the step's witness.
    function transferRouted(World memory w, uint32 market, uint32 j)
        internal
        view
        returns (World memory e, Leaf[] memory witness)
    {
        e = expectsReply(routedTo(clone(w), market, j), market);
        e.state.txIndex += 1;
        e.state.nextSlot += 1;
        witness = leaves(
            txLeaf(w),
            w.accounts.leaf(kAccount(alice)),
            w.registry.leaf(kU32(market)),
            w.routed.leaf(kU32(market)),
            w.outbox.leaf(kOutbox(market, BLOCK, j)),
            w.replies.leaf(kU32(w.state.replyCount))
        );
    }
}
