// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Test} from "./lib/Test.sol";
import {MockUSDC} from "../src/MockUSDC.sol";
import {ERC20} from "../src/ERC20.sol";
import {IERC20} from "../src/IERC20.sol";

contract MockUSDCTest is Test {
    MockUSDC internal usdc;
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);

    function setUp() public {
        usdc = new MockUSDC();
    }

    function test_metadata() public view {
        assertEq(keccak256(bytes(usdc.name())), keccak256("Mock USD Coin"), "name");
        assertEq(keccak256(bytes(usdc.symbol())), keccak256("USDC"), "symbol");
        assertEq(usdc.decimals(), 6, "decimals");
    }

    function test_anyoneMints() public {
        vm.expectEmit(address(usdc));
        emit IERC20.Transfer(address(0), ALICE, 5e6);
        vm.prank(BOB);
        usdc.mint(ALICE, 5e6);
        assertEq(usdc.balanceOf(ALICE), 5e6, "balance");
        assertEq(usdc.totalSupply(), 5e6, "supply");
    }

    function testFuzz_transferFromSpendsTheAllowance(uint256 amount, uint256 allowance) public {
        amount = bound(amount, 0, 1e30);
        allowance = bound(allowance, amount, type(uint256).max - 1);
        usdc.mint(ALICE, amount);
        vm.prank(ALICE);
        usdc.approve(BOB, allowance);
        vm.prank(BOB);
        assertTrue(usdc.transferFrom(ALICE, BOB, amount), "returns true");
        assertEq(usdc.balanceOf(BOB), amount, "received");
        assertEq(usdc.balanceOf(ALICE), 0, "sent");
        assertEq(usdc.allowance(ALICE, BOB), allowance - amount, "allowance left");
    }

    function test_unlimitedAllowanceIsNotSpent() public {
        usdc.mint(ALICE, 10);
        vm.prank(ALICE);
        usdc.approve(BOB, type(uint256).max);
        vm.prank(BOB);
        usdc.transferFrom(ALICE, BOB, 10);
        assertEq(usdc.allowance(ALICE, BOB), type(uint256).max, "allowance");
    }

    function test_refusals() public {
        usdc.mint(ALICE, 10);
        vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientBalance.selector, ALICE, 10, 11));
        vm.prank(ALICE);
        usdc.transfer(BOB, 11);

        vm.prank(ALICE);
        usdc.approve(BOB, 3);
        vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientAllowance.selector, BOB, 3, 4));
        vm.prank(BOB);
        usdc.transferFrom(ALICE, BOB, 4);

        vm.expectRevert(ERC20.TransferToZeroAddress.selector);
        vm.prank(ALICE);
        usdc.transfer(address(0), 1);
    }
}
