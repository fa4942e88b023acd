// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IBondLedger} from "../src/IBondLedger.sol";
import {AckFixture} from "./lib/AckFixture.sol";
import {AckSlashing} from "../src/AckSlashing.sol";
import {IAckSlashing} from "../src/IAckSlashing.sol";

/// The sequencer's bond: anyone adds to it, only the sequencer takes it back, and only after bondDelayBlocks,
/// during which it stays slashable.
contract AckBondTest is AckFixture {
    function test_theConstructorRefusesABadConfig() public {
        vm.expectRevert(IAckSlashing.ZeroAddress.selector);
        new AckSlashing(address(0), L2_CHAIN_ID, SLASH, BURN_PPM, BOND_DELAY);
        vm.expectRevert(IAckSlashing.InvalidConfig.selector);
        new AckSlashing(address(settlement), L2_CHAIN_ID, 0, BURN_PPM, BOND_DELAY);
        vm.expectRevert(IAckSlashing.InvalidConfig.selector);
        new AckSlashing(address(settlement), L2_CHAIN_ID, SLASH, 1_000_001, BOND_DELAY);
        vm.expectRevert(IAckSlashing.InvalidConfig.selector);
        new AckSlashing(address(settlement), L2_CHAIN_ID, SLASH, BURN_PPM, 0);
        vm.expectRevert(IAckSlashing.InvalidConfig.selector);
        new AckSlashing(address(settlement), L2_CHAIN_ID, SLASH, BURN_PPM, uint64(type(uint32).max) + 1);
        new AckSlashing(address(settlement), L2_CHAIN_ID, SLASH, 1_000_000, type(uint32).max);
    }

    function test_anyoneAddsToTheBond() public {
        keys.deal(HOLDER, 1 ether);
        vm.expectEmit(address(slashing));
        emit IAckSlashing.BondDeposited(HOLDER, 1 ether, BOND + 1 ether);
        vm.prank(HOLDER);
        slashing.depositBond{value: 1 ether}();
        assertEq(slashing.bond(), BOND + 1 ether, "bond");
        vm.expectRevert(IAckSlashing.ZeroAmount.selector);
        slashing.depositBond{value: 0}();
    }

    function test_onlyTheSequencerProposesAndCancels() public {
        vm.prank(HOLDER);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.NotSequencer.selector, HOLDER));
        slashing.proposeBondWithdrawal(1 ether);
        vm.prank(sequencer);
        vm.expectRevert(IAckSlashing.ZeroAmount.selector);
        slashing.proposeBondWithdrawal(0);
        vm.prank(sequencer);
        slashing.proposeBondWithdrawal(1 ether);
        vm.prank(HOLDER);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.NotSequencer.selector, HOLDER));
        slashing.cancelBondWithdrawal();
        vm.prank(sequencer);
        slashing.cancelBondWithdrawal();
        vm.expectRevert(IAckSlashing.NoPendingWithdrawal.selector);
        slashing.executeBondWithdrawal();
        vm.prank(sequencer);
        vm.expectRevert(IAckSlashing.NoPendingWithdrawal.selector);
        slashing.cancelBondWithdrawal();
    }

    function test_aWithdrawalWaitsForTheDelay() public {
        vm.prank(sequencer);
        slashing.proposeBondWithdrawal(2 ether);
        (address who, uint256 amount, uint64 at) = slashing.pendingBondWithdrawal();
        assertEq(who, sequencer, "proposer");
        assertEq(amount, 2 ether, "amount");
        assertEq(at, 1000 + BOND_DELAY, "executable at");
        vm.roll(1000 + BOND_DELAY - 1);
        vm.expectRevert(abi.encodeWithSelector(IAckSlashing.TimelockNotElapsed.selector, 1000 + BOND_DELAY));
        slashing.executeBondWithdrawal();
        vm.roll(1000 + BOND_DELAY);
        vm.prank(HOLDER);
        slashing.executeBondWithdrawal();
        assertEq(slashing.bond(), BOND - 2 ether, "bond");
        assertEq(slashing.credit(sequencer), 2 ether, "owed to the sequencer");
        uint256 before = sequencer.balance;
        vm.prank(sequencer);
        slashing.withdraw();
        assertEq(sequencer.balance - before, 2 ether, "paid");
        vm.prank(sequencer);
        vm.expectRevert(abi.encodeWithSelector(IBondLedger.NothingToWithdraw.selector, sequencer));
        slashing.withdraw();
    }

    function test_aPendingWithdrawalStaysSlashable() public {
        vm.prank(sequencer);
        slashing.proposeBondWithdrawal(BOND);
        bytes32[] memory posted = _hashes(1, "posted");
        uint64 batchIndex = _commitAll(posted);
        // A tree of one leaf: its root is the leaf, and the proof of sequence 0 is empty.
        slashing.slashEquivocation(_ack(0, keccak256("promised")), batchIndex, posted[0], new bytes32[](0), PAYEE);
        vm.roll(block.number + BOND_DELAY);
        slashing.executeBondWithdrawal();
        assertEq(slashing.credit(sequencer), BOND - SLASH, "what the slash left");
        assertEq(slashing.bond(), 0, "bond");
    }
}
