// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepFixture} from "./lib/StepFixture.sol";
import {StepTrees} from "./lib/StepTrees.sol";
import {AccountsStepVerifier} from "../../src/steps/AccountsStepVerifier.sol";
import {Leaf} from "../../src/steps/AccountsStepTypes.sol";

/// The held list of an account record (docs/state.md, "Held credits"; docs/disputes.md, "Finality / Left", item 8),
/// step by step, the expected records written out field by field here.
contract HeldCreditsTest is StepFixture {
    using StepTrees for StepTrees.Tree;

    uint8 internal constant ACCEPTED = 0;
    uint8 internal constant FUNDS_HELD = 16;
    uint8 internal constant HELD_IN_TOO_MANY_MARKETS = 17;

    /// Alice's 1000, 800 of it held for market 1 since the block before.
    function _holding() internal view returns (World memory w) {
        w = world();
        w.accounts = w.accounts.put(kAccount(alice), rAccountHeld(1000, 4, 0x1f, OTHER_MARKET, BLOCK - 1, 800));
    }

    function test_fundsHeldForOneMarketDoNotBecomeMarginInAnother() public view {
        // 200 unheld: 300 into market 2 would draw 100 held for market 1.
        World memory w = withTx(_holding(), aliceTransfer(MARKET, 300, true));
        World memory e = decided(clone(w), FUNDS_HELD);
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(1000, 5, 0x3f, OTHER_MARKET, BLOCK - 1, 800));
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.registry.leaf(kU32(MARKET))), e);
    }

    function test_fundsHeldForAMarketMayGoBackIntoIt() public view {
        // 300 into market 1: 200 unheld, 100 of its own held credit; its entry now of this block, for the reply.
        World memory w = withTx(_holding(), aliceTransfer(OTHER_MARKET, 300, true));
        (World memory e, Leaf[] memory witness) = transferRouted(w, OTHER_MARKET, 0);
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(700, 5, 0x3f, OTHER_MARKET, BLOCK, 700));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_aWithdrawalDrawsOnHeldCreditsAfterTheUnheld() public view {
        World memory w = withTx(_holding(), aliceWithdraw(300, 5));
        World memory e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(700, 5, 0x3f, OTHER_MARKET, BLOCK - 1, 700));
        e.state.totalWithdrawals = 2_300;
        // The leaf carries the held credit it drew on: account ‖ amount ‖ u8 1 ‖ u32 market ‖ u64 its block.
        e.withdrawals = e.withdrawals.put(
            kBlockTx(BLOCK, TX_INDEX), abi.encodePacked(alice, int64(300), uint8(1), OTHER_MARKET, uint64(BLOCK - 1))
        );
        Leaf[] memory witness =
            leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        expectStep(w, noDeposit(), witness, e);

        // The whole held credit drawn: its entry, of an earlier block and now empty, is dropped.
        w = withTx(_holding(), aliceWithdraw(1000, 5));
        e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(alice), rAccount(0, 5, 0x3f));
        e.state.totalWithdrawals = 3_000;
        e.withdrawals = e.withdrawals.put(
            kBlockTx(BLOCK, TX_INDEX), abi.encodePacked(alice, int64(1000), uint8(1), OTHER_MARKET, uint64(BLOCK - 1))
        );
        witness = leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        expectStep(w, noDeposit(), witness, e);

        // Within the unheld 200: the leaf is account ‖ amount alone, as before held credits.
        w = withTx(_holding(), aliceWithdraw(200, 5));
        e = decided(clone(w), ACCEPTED);
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(800, 5, 0x3f, OTHER_MARKET, BLOCK - 1, 800));
        e.state.totalWithdrawals = 2_200;
        e.withdrawals = e.withdrawals.put(kBlockTx(BLOCK, TX_INDEX), abi.encodePacked(alice, int64(200)));
        witness = leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_aWithdrawalDrawingOnTwoMarketsCarriesBothInMarketOrder() public view {
        // 1000 free, held 300 for market 10 (block 3) and 500 for market 12 (block 6): 200 unheld.
        World memory w = world();
        w.accounts = w.accounts.put(
            kAccount(alice),
            bytes.concat(
                abi.encodePacked(int64(1000), uint64(4), uint64(0x1f), uint8(2), uint32(10), uint64(3), int64(300)),
                abi.encodePacked(uint32(12), uint64(6), int64(500))
            )
        );
        w = withTx(w, aliceWithdraw(700, 5));
        World memory e = decided(clone(w), ACCEPTED);
        // 200 unheld, 300 of market 10's (drained, dropped), 200 of market 12's.
        e.accounts = e.accounts.put(kAccount(alice), rAccountHeld(300, 5, 0x3f, 12, 6, 300));
        e.state.totalWithdrawals = 2_700;
        e.withdrawals = e.withdrawals.put(
            kBlockTx(BLOCK, TX_INDEX),
            abi.encodePacked(alice, int64(700), uint8(2), uint32(10), uint64(3), uint32(12), uint64(6))
        );
        Leaf[] memory witness =
            leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
        expectStep(w, noDeposit(), witness, e);
    }

    function test_aTransferNeedingANinthLiveMarketIsRefused() public view {
        bytes memory record = abi.encodePacked(int64(1000), uint64(4), uint64(0x1f), uint8(8));
        for (uint32 m = 10; m < 18; m++) {
            record = abi.encodePacked(record, m, uint64(BLOCK - 1), int64(100));
        }
        World memory w = world();
        w.accounts = w.accounts.put(kAccount(alice), record);
        w = withTx(w, aliceTransfer(OTHER_MARKET, 5_000, false));
        World memory e = decided(clone(w), HELD_IN_TOO_MANY_MARKETS);
        bytes memory after_ = abi.encodePacked(int64(1000), uint64(5), uint64(0x3f), uint8(8));
        for (uint32 m = 10; m < 18; m++) {
            after_ = abi.encodePacked(after_, m, uint64(BLOCK - 1), int64(100));
        }
        e.accounts = e.accounts.put(kAccount(alice), after_);
        expectStep(w, noDeposit(), leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.registry.leaf(kU32(OTHER_MARKET))), e);
    }

    function test_aHeldListTheTreeCannotHoldIsABadRecord() public {
        bytes[3] memory bad = [
            // markets not ascending
            abi.encodePacked(int64(1000), uint64(4), uint64(0x1f), uint8(2), uint32(3), uint64(1), int64(1), uint32(2), uint64(1), int64(1)),
            // a count that is not the length
            abi.encodePacked(int64(1000), uint64(4), uint64(0x1f), uint8(2), uint32(3), uint64(1), int64(1)),
            // a negative held amount
            abi.encodePacked(int64(1000), uint64(4), uint64(0x1f), uint8(1), uint32(3), uint64(1), int64(-1))
        ];
        for (uint256 i = 0; i < bad.length; i++) {
            World memory w = world();
            w.accounts = w.accounts.put(kAccount(alice), bad[i]);
            w = withTx(w, aliceWithdraw(1, 5));
            Leaf[] memory witness =
                leaves(txLeaf(w), w.accounts.leaf(kAccount(alice)), w.withdrawals.leaf(kBlockTx(BLOCK, TX_INDEX)));
            svm.expectRevert(abi.encodeWithSelector(AccountsStepVerifier.BadRecord.selector, 1));
            run(w, noDeposit(), witness);
        }
    }
}
