// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepFixture} from "./lib/StepFixture.sol";
import {StepTrees} from "./lib/StepTrees.sol";
import {TxFixtures} from "./lib/TxFixtures.sol";
import {AccountsStepVerifier} from "../../src/steps/AccountsStepVerifier.sol";
import {AccountsState, L1Deposit, Leaf, MarketOutbox} from "../../src/steps/AccountsStepTypes.sol";
import {TransactionDecoder} from "../../src/steps/TransactionDecoder.sol";

/// Whole steps built from the rules of docs/steps.md: the state before, the witness in the doc's order, and the
/// state after computed here from the trees' records.
contract AccountsStepVerifierTest is StepFixture {
    using StepTrees for StepTrees.Tree;

    uint8 internal constant ACCEPTED = 0;
    uint8 internal constant BAD_SIGNATURE = 1;
    uint8 internal constant REPLAYED = 2;
    uint8 internal constant NONCE_TOO_OLD = 3;
    uint8 internal constant NONCE_TOO_FAR = 4;
    uint8 internal constant NOT_OPERATOR = 5;
    uint8 internal constant INSUFFICIENT_BALANCE = 11;
    uint8 internal constant ZERO_AMOUNT = 13;
    uint8 internal constant DEPOSIT_OUT_OF_ORDER = 14;
    uint8 internal constant OVERFLOW = 15;
    uint8 internal constant UNKNOWN_MARKET = 20;
    uint8 internal constant MARKET_EXISTS = 21;
    uint8 internal constant INVALID_MARKET_PARAMS = 24;

    // ---- the interface ----

    function test_stateHashIsKeccakOfTheSeventeenWords() public view {
        AccountsState memory s = state(world());
        s.totalWithdrawals = -1; // sign-extended
        bytes memory words = abi.encode(s);
        assertEq(words.length, 17 * 32, "seventeen words");
        assertEq(uint256(bytes32(_word(words, 4))), type(uint256).max, "int64 -1 is sign-extended");
        assertEq(verifier.stateHash(s), keccak256(words), "stateHash");
    }

    function test_theCursorPicksTheStepKind() public view {
        AccountsState memory s = state(world());
        assertEq(uint256(verifier.nextStepKind(s)), uint256(AccountsStepVerifier.StepKind.Transaction), "tx");
        s.txIndex = s.txCount;
        assertEq(uint256(verifier.nextStepKind(s)), uint256(AccountsStepVerifier.StepKind.Reply), "reply");
        s.nextReply = s.replyCount;
        assertEq(uint256(verifier.nextStepKind(s)), uint256(AccountsStepVerifier.StepKind.BlockStart), "block");
    }

    function test_aCursorPastItsEndHasNoStep() public {
        World memory w = world();
        w.state.txIndex = w.state.txCount + 1;
        svm.expectRevert(AccountsStepVerifier.WrongStepKind.selector);
        run(w, noDeposit(), new Leaf[](0));
        w = world();
        w.state.txIndex = w.state.txCount;
        w.state.nextReply = w.state.replyCount + 1;
        svm.expectRevert(AccountsStepVerifier.WrongStepKind.selector);
        run(w, noDeposit(), new Leaf[](0));
    }

    function test_theOperatorsAndDomain() public view {
        assertTrue(verifier.isOperator(operator), "operator");
        assertTrue(verifier.isOperator(address(0x0e0e)), "the other operator");
        assertFalse(verifier.isOperator(alice), "alice");
        assertEq(verifier.domainSeparator(), separator, "domain");
    }

    // ---- BlockStart ----

    function _atBlockEnd() internal view returns (World memory w) {
        w = world();
        w.state.txIndex = w.state.txCount;
        w.state.nextReply = w.state.replyCount;
    }

    function test_blockStartOpensTheNextBlock() public view {
        World memory w = _atBlockEnd();
        World memory e = clone(w);
        e.state.block = BLOCK + 1;
        e.state.firstSequence = FIRST_SEQUENCE + 5;
        e.state.txCount = 3;
        e.state.txIndex = 0;
        e.state.nextSlot = 0;
        e.state.replyCount = 0;
        e.state.nextReply = 0;
        e.replies = StepTrees.empty();
        e.routed = StepTrees.empty();
        expectStep(w, noDeposit(), leaves(w.blocks.leaf(kU64(BLOCK + 1))), e);
    }

    function test_blockStartNeedsItsHeaderToFollow() public {
        World memory w = _atBlockEnd();
        w.blocks = w.blocks.put(kU64(BLOCK + 1), rHeader(1_700_000_002, FIRST_SEQUENCE + 4, 3));
        svm.expectRevert(
            abi.encodeWithSelector(AccountsStepVerifier.BlockOutOfSequence.selector, FIRST_SEQUENCE + 5, FIRST_SEQUENCE + 4)
        );
        run(w, noDeposit(), leaves(w.blocks.leaf(kU64(BLOCK + 1))));
    }

    function test_blockStartWitness() public {
        World memory w = _atBlockEnd();
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.WitnessTooShort.selector, 1));
        run(w, noDeposit(), new Leaf[](0));
        // Past the batch's last block: the header is absent.
        w.state.block = BLOCK + 1;
        w.state.firstSequence = FIRST_SEQUENCE + 5;
        w.state.txCount = 3;
        w.state.txIndex = 3;
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 0));
        run(w, noDeposit(), leaves(w.blocks.leaf(kU64(BLOCK + 2))));
        // Another block's header.
        w = _atBlockEnd();
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 0));
        run(w, noDeposit(), leaves(w.blocks.leaf(kU64(BLOCK))));
        // A leaf more than the step reads.
        Leaf memory header = w.blocks.leaf(kU64(BLOCK + 1));
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.WitnessTooLong.selector, 1, 2));
        run(w, noDeposit(), leaves(header, header));
    }

    // ---- Deposit ----

    function _deposit(address account, uint64 amount, uint64 index) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(1), account, amount, index);
    }

    function test_aDepositIntoAnEmptyState() public view {
        // Genesis: nothing in any tree, the first block's first transaction.
        World memory w;
        w.txs = StepTrees.empty().put(kU64(0), _deposit(carol, 250, 0));
        w.blocks = StepTrees.empty();
        w.accounts = StepTrees.empty();
        w.registry = StepTrees.empty();
        w.withdrawals = StepTrees.empty();
        w.outbox = StepTrees.empty();
        w.routed = StepTrees.empty();
        w.replies = StepTrees.empty();
        w.outboxes = new MarketOutbox[](0);
        (w.state.block, w.state.firstSequence, w.state.txCount) = (1, 0, 1);

        Leaf[] memory witness = leaves(w.txs.leaf(kU64(0)), w.accounts.leaf(kAccount(carol)));
        AccountsState memory post = run(w, L1Deposit(carol, 250), witness);

        AccountsState memory e = state(w);
        e.accountsRoot = keccak256(abi.encodePacked(hex"00", kAccount(carol), keccak256(rAccount(250, 0, 0))));
        e.nextDepositIndex = 1;
        e.totalDeposits = 250;
        e.receiptsHash = keccak256(abi.encodePacked(bytes32(0), uint64(0), uint8(0)));
        e.txIndex = 1;
        e.nextSlot = 1;
        assertState(post, e);
    }

    function test_aDepositCreditsAnAccount() public view {
        World memory w = withTx(world(), _deposit(bob, 70, 3));
        World memory e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(bob), rAccount(570, 0, 1));
        e.state.nextDepositIndex = 4;
        e.state.totalDeposits = 10_070;
        expectStep(w, L1Deposit(bob, 70), leaves(txLeaf(w), w.accounts.leaf(kAccount(bob))), e);
    }

    function test_aDepositNotOnL1() public {
        World memory w = withTx(world(), _deposit(bob, 70, 3));
        Leaf[] memory witness = leaves(txLeaf(w), w.accounts.leaf(kAccount(bob)));
        svm.expectRevert(AccountsStepVerifier.DepositNotOnL1.selector);
        run(w, L1Deposit(bob, 71), witness);
        svm.expectRevert(AccountsStepVerifier.DepositNotOnL1.selector);
        run(w, L1Deposit(alice, 70), witness);
        // Checked whatever the receipt would be: an out-of-order deposit too.
        w = withTx(world(), _deposit(bob, 70, 5));
        svm.expectRevert(AccountsStepVerifier.DepositNotOnL1.selector);
        run(w, noDeposit(), leaves(txLeaf(w)));
    }

    function test_aDepositOutOfOrder() public view {
        World memory w = withTx(world(), _deposit(bob, 70, 4));
        // No account leaf: the step stops at the index.
        expectStep(w, L1Deposit(bob, 70), leaves(txLeaf(w)), decided(clone(w), DEPOSIT_OUT_OF_ORDER));
        w = withTx(world(), _deposit(bob, 70, 2));
        expectStep(w, L1Deposit(bob, 70), leaves(txLeaf(w)), decided(clone(w), DEPOSIT_OUT_OF_ORDER));
    }

    function test_aDepositThatWouldOverflow() public view {
        uint64 max = uint64(type(int64).max);
        World memory w = withTx(world(), _deposit(bob, max - 10_000 + 1, 3));
        expectStep(w, L1Deposit(bob, max - 10_000 + 1), leaves(txLeaf(w)), decided(clone(w), OVERFLOW));
        w = withTx(world(), _deposit(bob, max + 1, 3));
        w.state.totalDeposits = 0;
        expectStep(w, L1Deposit(bob, max + 1), leaves(txLeaf(w)), decided(clone(w), OVERFLOW));
        // Exactly up to 2^63 - 1 is fine.
        w = withTx(world(), _deposit(carol, max - 10_000, 3));
        World memory e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(carol), rAccount(int64(max - 10_000), 0, 0));
        e.state.nextDepositIndex = 4;
        e.state.totalDeposits = type(int64).max;
        expectStep(w, L1Deposit(carol, max - 10_000), leaves(txLeaf(w), w.accounts.leaf(kAccount(carol))), e);
    }

    // ---- Withdraw ----

    function test_aWithdraw() public view {
        World memory w = withTx(world(), aliceWithdraw(400, 5));
        World memory e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(600, 5, 0x3f));
        e.state.totalWithdrawals = 2_400;
        e.withdrawals = e.withdrawals.put(kBlockTx(BLOCK, TX_INDEX), rAccountAmount(alice, 400));
        Leaf[] memory witness =
            leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        expectStep(w, noDeposit(), witness, e);
        // The whole balance.
        w = withTx(world(), aliceWithdraw(1000, 5));
        e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(0, 5, 0x3f));
        e.state.totalWithdrawals = 3_000;
        e.withdrawals = e.withdrawals.put(kBlockTx(BLOCK, TX_INDEX), rAccountAmount(alice, 1000));
        witness = leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_aRefusedWithdrawStillSpendsItsNonce() public view {
        World memory w = withTx(world(), aliceWithdraw(1001, 9));
        World memory e = decided(clone(w), INSUFFICIENT_BALANCE);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 9, 0x3e1)); // 0x1f << 5 | 1
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(alice))), e);

        w = withTx(world(), aliceWithdraw(0, 5));
        e = decided(clone(w), ZERO_AMOUNT);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(alice))), e);
    }

    function test_aBadSignatureStopsAtTheTransaction() public view {
        // Signed by bob for alice's account.
        TxFixtures.Tx memory t = signed(2, alice, 5, 0);
        t.amount = 1;
        World memory w = withTx(world(), resign(t, BOB_KEY));
        expectStep(w, noDeposit(), leaves(txLeaf(w)), decided(clone(w), BAD_SIGNATURE));

        // Alice's signature with its malleable twin (s' = n − s, v flipped): refused.
        signTx(t, ALICE_KEY, separator, true);
        (bytes32 r, bytes32 s, uint8 v) = _split(t.sig);
        t.sig = abi.encodePacked(r, bytes32(TxFixtures.N - uint256(s)), v ^ 1);
        w = withTx(world(), TxFixtures.encode(t));
        expectStep(w, noDeposit(), leaves(txLeaf(w)), decided(clone(w), BAD_SIGNATURE));

        // v = 2.
        t.sig = abi.encodePacked(r, s, uint8(2));
        w = withTx(world(), TxFixtures.encode(t));
        expectStep(w, noDeposit(), leaves(txLeaf(w)), decided(clone(w), BAD_SIGNATURE));

        // The same signature with v 27/28 is alice's.
        t.sig = abi.encodePacked(r, s, v + 27);
        w = withTx(world(), TxFixtures.encode(t));
        World memory e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(999, 5, 0x3f));
        e.state.totalWithdrawals = 2_001;
        e.withdrawals = e.withdrawals.put(kBlockTx(BLOCK, TX_INDEX), rAccountAmount(alice, 1));
        Leaf[] memory witness =
            leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_refusedNonces() public view {
        // Alice has used 0..4: nonce 3 is replayed, and nothing changes but the receipt (her record is rewritten
        // as it was).
        World memory w = withTx(world(), aliceWithdraw(1, 3));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(alice))), decided(clone(w), REPLAYED));

        // Bob at H = 70 with only 70 used: 6 is H − 64, too old; 7 is inside and unused.
        w = world();
        w.accounts = w.accounts.put(kAccount(bob), rAccount(500, 70, 1));
        TxFixtures.Tx memory t = signed(2, bob, 6, 0);
        t.amount = 1;
        w = withTx(w, resign(t, BOB_KEY));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(bob))), decided(clone(w), NONCE_TOO_OLD));

        // Bob's nonce 70 + 2^32 + 1 is too far.
        t.nonce = 70 + (1 << 32) + 1;
        w = withTx(w, resign(t, BOB_KEY));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(bob))), decided(clone(w), NONCE_TOO_FAR));
    }

    function test_aFreshAccountRefusedAtTheNonceIsWrittenEmpty() public view {
        // The engine creates the account before it consumes the nonce and writes every account it created: a
        // first nonce of 2^32 leaves carol with an all-zero record.
        TxFixtures.Tx memory t = signed(2, carol, 1 << 32, 0);
        t.amount = 1;
        World memory w = withTx(world(), resign(t, CAROL_KEY));
        World memory e = decided(clone(w), NONCE_TOO_FAR);
        e.accounts = e.accounts.put(kAccount(carol), rAccount(0, 0, 0));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(carol))), e);

        // Accepted, a fresh account with nothing to withdraw.
        t.nonce = 0;
        w = withTx(world(), resign(t, CAROL_KEY));
        e = decided(clone(w), INSUFFICIENT_BALANCE);
        e.accounts = e.accounts.put(kAccount(carol), rAccount(0, 0, 1));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(carol))), e);
    }

    function test_aWrongAccountProof() public {
        World memory w = withTx(world(), aliceWithdraw(400, 5));
        Leaf memory account = w.accounts.leaf(kAccount(alice));
        account.siblings[0] = bytes32(uint256(account.siblings[0]) ^ 1);
        Leaf[] memory witness = leaves(txLeaf(w), account, w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 1));
        run(w, noDeposit(), witness);
        // Bob's leaf for alice's transaction.
        witness[1] = w.accounts.leaf(kAccount(bob));
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 1));
        run(w, noDeposit(), witness);
        // Alice's leaf claiming she is absent.
        account = w.accounts.leaf(kAccount(alice));
        account.record = "";
        witness[1] = account;
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 1));
        run(w, noDeposit(), witness);
        // The withdrawal leaf must be absent.
        w.withdrawals = w.withdrawals.put(kBlockTx(BLOCK, TX_INDEX), rAccountAmount(alice, 1));
        witness = leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 2));
        run(w, noDeposit(), witness);
        // And the transaction must be the block's transaction 1.
        w = withTx(world(), aliceWithdraw(400, 5));
        witness = leaves(w.txs.leaf(kU64(SEQUENCE + 1)), w.accounts.leaf(kAccount(alice)));
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 0));
        run(w, noDeposit(), witness);
    }

    function test_aMalformedTransactionReverts() public {
        World memory w = withTx(world(), bytes.concat(aliceWithdraw(400, 5), hex"00"));
        svm.expectRevert(abi.encodeWithSelector(TransactionDecoder.TrailingBytes.selector, 102, 103));
        run(w, noDeposit(), leaves(txLeaf(w)));
        w = withTx(world(), hex"0e");
        svm.expectRevert(abi.encodeWithSelector(TransactionDecoder.MalformedTransaction.selector, uint8(2)));
        run(w, noDeposit(), leaves(txLeaf(w)));
        w = withTx(world(), hex"0d"); // a bulk cut after its kind
        svm.expectRevert(abi.encodeWithSelector(TransactionDecoder.MalformedTransaction.selector, uint8(1)));
        run(w, noDeposit(), leaves(txLeaf(w)));
    }

    // ---- CreateMarket ----

    function _create(address account, uint32 market, uint64 nonce, uint256 key) internal view returns (TxFixtures.Tx memory t) {
        t = signed(9, account, nonce, 0);
        t.market = market;
        if (key != 0) signTx(t, key, separator, true);
    }

    function test_theOperatorCreatesAMarket() public view {
        World memory w = withTx(world(), TxFixtures.encode(_create(operator, NEW_MARKET, 0, OPERATOR_KEY)));
        World memory e = routedTo(decided(clone(w), ACCEPTED), NEW_MARKET, 0);
        e.accounts = e.accounts.put(kAccount(operator), rAccount(0, 0, 1));
        e.registry = e.registry.put(kU32(NEW_MARKET), hex"01");
        Leaf[] memory witness = leaves(
            txLeaf(w),
            w.accounts.leaf(kAccount(operator)),
            w.registry.leaf(kU32(NEW_MARKET)),
            w.routed.leaf(kU32(NEW_MARKET)),
            w.outbox.leaf(kOutbox(NEW_MARKET, BLOCK, 0))
        );
        expectStep(w, noDeposit(), witness, e);
    }

    function test_createMarketRefusals() public view {
        // Not an operator: refused after the nonce, before the registry.
        World memory w = withTx(world(), TxFixtures.encode(_create(alice, NEW_MARKET, 5, ALICE_KEY)));
        World memory e = decided(clone(w), NOT_OPERATOR);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(alice))), e);

        // Exists.
        w = withTx(world(), TxFixtures.encode(_create(operator, MARKET, 0, OPERATOR_KEY)));
        e = decided(clone(w), MARKET_EXISTS);
        e.accounts = e.accounts.put(kAccount(operator), rAccount(0, 0, 1));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(operator)), w.registry.leaf(kU32(MARKET))), e);

        // Invalid parameters (maintenance margin not below initial).
        TxFixtures.Tx memory t = _create(operator, NEW_MARKET, 0, 0);
        t.params.u32s[1] = t.params.u32s[0];
        w = withTx(world(), resign(t, OPERATOR_KEY));
        e = decided(clone(w), INVALID_MARKET_PARAMS);
        e.accounts = e.accounts.put(kAccount(operator), rAccount(0, 0, 1));
        expectStep(
            w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(operator)), w.registry.leaf(kU32(NEW_MARKET))), e
        );
    }

    // ---- TransferMargin and the market kinds ----

    function test_transferMarginIntoAMarket() public view {
        World memory w = withTx(world(), aliceTransfer(MARKET, 300, true));
        // Routed as message 2 of market 2 this block, the reply expected as reply 1; no receipt here.
        (World memory e, Leaf[] memory witness) = transferRouted(w, MARKET, 2);
        // The transfer keeps an entry for its market live through the block, for the reply it may get.
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(700, 5, 0x3f, MARKET, BLOCK, 0));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_transferMarginOutOfAMarket() public view {
        // No debit; routed to market 1 as its first message this block; a reply expected.
        World memory w = withTx(world(), aliceTransfer(OTHER_MARKET, 5_000, false));
        (World memory e, Leaf[] memory witness) = transferRouted(w, OTHER_MARKET, 0);
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(1000, 5, 0x3f, OTHER_MARKET, BLOCK, 0));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_transferMarginRefusals() public view {
        World memory w = withTx(world(), aliceTransfer(MARKET, 1001, true));
        World memory e = decided(clone(w), INSUFFICIENT_BALANCE);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
        Leaf[] memory witness = leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.registry.leaf(kU32(MARKET)));
        expectStep(w, noDeposit(), witness, e);

        w = withTx(world(), aliceTransfer(MARKET, 0, true));
        e = decided(clone(w), ZERO_AMOUNT);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
        expectStep(w, noDeposit(), witness = leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.registry.leaf(kU32(MARKET))), e);

        // The market first: an unknown market with a zero amount is UnknownMarket.
        w = withTx(world(), aliceTransfer(NEW_MARKET, 0, true));
        e = decided(clone(w), UNKNOWN_MARKET);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
        witness = leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.registry.leaf(kU32(NEW_MARKET)));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_marketKindsAreRouted() public view {
        // PlaceOrder, CancelOrder, CancelOrderByClientId, CancelAllOrders: message 2 of market 2, no reply.
        for (uint8 kind = 4; kind <= 7; kind++) {
            TxFixtures.Tx memory t = signed(kind, alice, 5, 0);
            (t.price, t.size) = (1, 1);
            World memory w = withTx(world(), resign(t, ALICE_KEY));
            World memory e = routedTo(clone(w), MARKET, 2);
            e.state.txIndex += 1;
            e.state.nextSlot += 1;
            e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
            Leaf[] memory witness = routedWitness(w, alice);
            expectStep(w, noDeposit(), witness, e);
        }
    }

    // ---- Bulk ----

    /// Three cancels of market 2 by alice, nonce 5, signed with `key` (0: unsigned). The digest is computed here from
    /// the EIP-712 types of docs/transactions.md (BulkDecoder.t.sol holds the decoder to ethers' vector).
    function _bulk(uint256 key) internal view returns (bytes memory) {
        bytes32 itemType = keccak256(
            "BulkItem(uint32 market,uint8 action,uint64 orderId,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId)"
        );
        bytes memory items;
        bytes memory itemHashes;
        for (uint64 i = 1; i <= 3; i++) {
            items = bytes.concat(items, abi.encodePacked(uint8(1), i));
            bytes32 h = keccak256(abi.encode(itemType, MARKET, uint8(1), i, false, 0, 0, 0, 0, false, 0));
            itemHashes = bytes.concat(itemHashes, h);
        }
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Bulk(address account,BulkItem[] items,uint64 nonce)BulkItem(uint32 market,uint8 action,uint64 orderId,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId)"
                ),
                alice,
                keccak256(itemHashes),
                uint64(5)
            )
        );
        bytes memory sig = new bytes(65);
        if (key != 0) {
            (uint8 v, bytes32 r, bytes32 s) = svm.sign(key, keccak256(abi.encodePacked(hex"1901", separator, structHash)));
            sig = abi.encodePacked(r, s, v - 27);
        }
        return bytes.concat(abi.encodePacked(uint8(13), alice, MARKET, uint8(3)), items, abi.encodePacked(uint64(5)), sig);
    }

    function test_aBulkIsRoutedWithItsFirstSlotAndTakesOnePerItem() public view {
        World memory w = withTx(world(), _bulk(ALICE_KEY));
        World memory e = routedTo(clone(w), MARKET, 2); // the record holds slot 7, the state's
        e.state.txIndex += 1;
        e.state.nextSlot += 3;
        e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
        Leaf[] memory witness = routedWitness(w, alice);
        expectStep(w, noDeposit(), witness, e);
    }

    function test_aRefusedBulkStillTakesItsSlots() public view {
        World memory w = withTx(world(), _bulk(BOB_KEY));
        World memory e = decided(clone(w), BAD_SIGNATURE);
        e.state.nextSlot += 2;
        expectStep(w, noDeposit(), leaves(txLeaf(w)), e);
    }

    function test_anOracleUpdateIsRoutedWhoeverSignedIt() public view {
        // Alice is no oracle signer: the market decides that, not the accounts domain.
        TxFixtures.Tx memory t = signed(8, alice, 5, 0);
        (t.price, t.timestamp) = (65_000, 1);
        World memory w = withTx(world(), resign(t, ALICE_KEY));
        World memory e = routedTo(clone(w), MARKET, 2);
        e.state.txIndex += 1;
        e.state.nextSlot += 1;
        e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
        Leaf[] memory witness = routedWitness(w, alice);
        expectStep(w, noDeposit(), witness, e);
    }

    function test_marketAdministration() public view {
        // SetMarketParams, PauseMarket, ResumeMarket by the operator: routed.
        for (uint8 kind = 10; kind <= 12; kind++) {
            World memory w = withTx(world(), TxFixtures.encode(signed(kind, operator, 0, OPERATOR_KEY)));
            World memory e = routedTo(clone(w), MARKET, 2);
            e.state.txIndex += 1;
            e.state.nextSlot += 1;
            e.accounts = e.accounts.put(kAccount(operator), rAccount(0, 0, 1));
            Leaf[] memory witness = routedWitness(w, operator);
            expectStep(w, noDeposit(), witness, e);

            // By alice: NotOperator, decided here.
            w = withTx(world(), TxFixtures.encode(signed(kind, alice, 5, ALICE_KEY)));
            e = decided(clone(w), NOT_OPERATOR);
            e.accounts = e.accounts.put(kAccount(alice), rAccount(1000, 5, 0x3f));
            expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(alice))), e);
        }
        // To an unknown market.
        TxFixtures.Tx memory t = signed(11, operator, 0, 0);
        t.market = NEW_MARKET;
        World memory u = withTx(world(), resign(t, OPERATOR_KEY));
        World memory ue = decided(clone(u), UNKNOWN_MARKET);
        ue.accounts = ue.accounts.put(kAccount(operator), rAccount(0, 0, 1));
        expectStep(
            u, noDeposit(), leaves(txLeaf(u), u.accounts.leaf(kAccount(operator)), u.registry.leaf(kU32(NEW_MARKET))), ue
        );
    }

    // ---- Reply ----

    /// After the block's transactions: reply 0 expected from market 2 for transaction 0; market 2's outbox holds
    /// `credit` (or nothing) at (block 7, tx 0).
    function _atReply(bytes memory credit) internal view returns (World memory w, StepTrees.Tree memory marketOutbox) {
        w = world();
        w.state.txIndex = w.state.txCount;
        marketOutbox = StepTrees.empty().put(kBlockTx(BLOCK, 5), rAccountAmount(bob, 1));
        if (credit.length != 0) marketOutbox = marketOutbox.put(kBlockTx(BLOCK, 0), credit);
        w.outboxes = new MarketOutbox[](3);
        w.outboxes[0] = MarketOutbox(OTHER_MARKET, keccak256("market 1's outbox"));
        w.outboxes[1] = MarketOutbox(MARKET, marketOutbox.root());
        w.outboxes[2] = MarketOutbox(5, keccak256("market 5's outbox"));
    }

    function test_aReplyCreditsItsAccount() public view {
        (World memory w, StepTrees.Tree memory mo) = _atReply(rAccountAmount(alice, 250));
        World memory e = clone(w);
        e.state.nextReply = 1;
        // Credited, and held for market 2 (no entry reserved in this hand-made state: one is made).
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(1250, 4, 0x1f, MARKET, BLOCK, 250));
        Leaf[] memory witness =
            leaves(w.replies.leaf(kU32(0)), mo.leaf(kBlockTx(BLOCK, 0)), w.accounts.leaf(kAccount(alice)));
        expectStep(w, noDeposit(), witness, e);

        // A reply to an account the tree does not hold creates it.
        (w, mo) = _atReply(rAccountAmount(carol, 40));
        e = clone(w);
        e.state.nextReply = 1;
        e.accounts = e.accounts.put(kAccount(carol), rAccountHeld(40, 0, 0, MARKET, BLOCK, 40));
        witness = leaves(w.replies.leaf(kU32(0)), mo.leaf(kBlockTx(BLOCK, 0)), w.accounts.leaf(kAccount(carol)));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_noReplyLeafNoCredit() public view {
        (World memory w, StepTrees.Tree memory mo) = _atReply("");
        World memory e = clone(w);
        e.state.nextReply = 1;
        expectStep(w, noDeposit(), leaves(w.replies.leaf(kU32(0)), mo.leaf(kBlockTx(BLOCK, 0))), e);
    }

    function test_replyRefusals() public {
        (World memory w, StepTrees.Tree memory mo) = _atReply(rAccountAmount(alice, 250));
        // The reply claimed absent.
        Leaf memory claimedAbsent = mo.leaf(kBlockTx(BLOCK, 0));
        claimedAbsent.record = "";
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 1));
        run(w, noDeposit(), leaves(w.replies.leaf(kU32(0)), claimedAbsent));
        // Another reply than nextReply.
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadProof.selector, 0));
        run(w, noDeposit(), leaves(w.replies.leaf(kU32(1)), mo.leaf(kBlockTx(BLOCK, 0))));
        // The credited account's leaf is missing.
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.WitnessTooShort.selector, 3));
        run(w, noDeposit(), leaves(w.replies.leaf(kU32(0)), mo.leaf(kBlockTx(BLOCK, 0))));
        // A negative reply: a market may hand collateral back, never take it.
        {
            (World memory n, StepTrees.Tree memory nmo) = _atReply(rAccountAmount(alice, -1));
            svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadRecord.selector, 1));
            run(n, noDeposit(), leaves(n.replies.leaf(kU32(0)), nmo.leaf(kBlockTx(BLOCK, 0)), n.accounts.leaf(kAccount(alice))));
        }
        // No outbox for the market.
        w.outboxes[1] = MarketOutbox(4, mo.root());
        svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.NoMarketOutbox.selector, MARKET));
        run(w, noDeposit(), leaves(w.replies.leaf(kU32(0)), mo.leaf(kBlockTx(BLOCK, 0))));
    }

    function _split(bytes memory sig) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
        assembly {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
            v := byte(0, mload(add(sig, 96)))
        }
    }

    function _word(bytes memory data, uint256 i) internal pure returns (bytes32 w) {
        assembly {
            w := mload(add(add(data, 32), mul(i, 32)))
        }
    }
}
