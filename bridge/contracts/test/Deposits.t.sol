// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";
import {ERC20} from "../src/ERC20.sol";

contract DepositsTest is SettlementFixture {
    uint64 internal constant MAX_AMOUNT = uint64(type(int64).max);

    function test_depositQueuesPullsAndEmits() public {
        _fund(ALICE, 500);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DepositQueued(0, BOB, ALICE, 300, START_BLOCK);
        vm.prank(ALICE);
        uint64 index = settlement.deposit(300, BOB);

        assertEq(index, 0, "index");
        assertEq(settlement.depositCount(), 1, "count");
        IRollupSettlement.Deposit memory d = settlement.queuedDeposit(0);
        assertEq(d.l2Account, BOB, "l2 account");
        assertEq(d.amount, 300, "amount");
        assertEq(d.l1Block, START_BLOCK, "l1 block");
        assertEq(usdc.balanceOf(address(settlement)), 300, "held by the contract");
        assertEq(usdc.balanceOf(ALICE), 200, "taken from the caller");
    }

    function testFuzz_queueKeepsOrderAndAmounts(uint64[6] memory amounts, uint8[6] memory gaps) public {
        uint256 total;
        uint64 blockNumber = START_BLOCK;
        for (uint256 i = 0; i < amounts.length; i++) {
            uint64 amount = uint64(bound(amounts[i], 1, MAX_AMOUNT / 8));
            blockNumber += gaps[i];
            vm.roll(blockNumber);
            address to = address(uint160(0x1000 + i));
            _fund(ALICE, amount);
            vm.expectEmit(address(settlement));
            emit IRollupSettlement.DepositQueued(uint64(i), to, ALICE, amount, blockNumber);
            vm.prank(ALICE);
            assertEq(settlement.deposit(amount, to), i, "index");
            total += amount;
            IRollupSettlement.Deposit memory d = settlement.queuedDeposit(uint64(i));
            assertEq(d.amount, amount, "amount");
            assertEq(d.l2Account, to, "l2 account");
            assertEq(d.l1Block, blockNumber, "l1 block");
        }
        assertEq(settlement.depositCount(), amounts.length, "count");
        assertEq(usdc.balanceOf(address(settlement)), total, "contract balance");
    }

    function testFuzz_amountsBeyondI64AreRefused(uint64 amount) public {
        amount = uint64(bound(amount, uint256(MAX_AMOUNT) + 1, type(uint64).max));
        _fund(ALICE, amount);
        vm.expectRevert(_err(IRollupSettlement.AmountTooLarge.selector, amount));
        vm.prank(ALICE);
        settlement.deposit(amount, ALICE);
    }

    function test_largestAmountIsAccepted() public {
        _deposit(ALICE, MAX_AMOUNT, ALICE);
        assertEq(settlement.queuedDeposit(0).amount, MAX_AMOUNT, "i64 max");
    }

    function test_zeroAmountAndZeroAccountAreRefused() public {
        _fund(ALICE, 10);
        vm.expectRevert(IRollupSettlement.ZeroAmount.selector);
        vm.prank(ALICE);
        settlement.deposit(0, ALICE);
        vm.expectRevert(IRollupSettlement.ZeroAddress.selector);
        vm.prank(ALICE);
        settlement.deposit(1, address(0));
    }

    function test_depositWithoutApprovalFailsWithTheTokensError() public {
        usdc.mint(ALICE, 10);
        vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientAllowance.selector, address(settlement), 0, 10));
        vm.prank(ALICE);
        settlement.deposit(10, ALICE);
        assertEq(settlement.depositCount(), 0, "nothing queued");
    }

    function test_unknownDepositIndex() public {
        _deposit(ALICE, 1, ALICE);
        vm.expectRevert(_err(IRollupSettlement.UnknownDeposit.selector, 1, 1));
        settlement.queuedDeposit(1);
    }

    function test_operatorPausesAndResumesAtOnce() public {
        _fund(ALICE, 10);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DepositsPaused();
        vm.prank(OPERATOR);
        settlement.pauseDeposits();
        assertTrue(settlement.depositsPaused(), "paused");

        vm.expectRevert(IRollupSettlement.DepositsArePaused.selector);
        vm.prank(ALICE);
        settlement.deposit(10, ALICE);

        vm.expectEmit(address(settlement));
        emit IRollupSettlement.DepositsResumed();
        vm.prank(OPERATOR);
        settlement.resumeDeposits();
        vm.prank(ALICE);
        settlement.deposit(10, ALICE);
        assertEq(settlement.depositCount(), 1, "accepted after resume");
    }

    function test_onlyTheOperatorPauses() public {
        vm.expectRevert(_err(IRollupSettlement.NotOperator.selector, uint160(SEQUENCER)));
        vm.prank(SEQUENCER);
        settlement.pauseDeposits();
        vm.prank(OPERATOR);
        settlement.pauseDeposits();
        vm.expectRevert(_err(IRollupSettlement.NotOperator.selector, uint160(ALICE)));
        vm.prank(ALICE);
        settlement.resumeDeposits();
    }
}
