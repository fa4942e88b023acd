// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";
import {RollupSettlement} from "../src/RollupSettlement.sol";

contract TimelockTest is SettlementFixture {
    address internal constant NEW_SEQUENCER = address(0x5E1);
    address internal constant NEW_OPERATOR = address(0x0B1);

    function test_deploymentState() public view {
        assertEq(settlement.sequencer(), SEQUENCER, "sequencer");
        assertEq(settlement.operator(), OPERATOR, "operator");
        assertEq(address(settlement.token()), address(usdc), "token");
        assertEq(settlement.genesisStateRoot(), GENESIS_ROOT, "genesis");
        assertEq(settlement.timelockDelayBlocks(), TIMELOCK, "delay");
        IRollupSettlement.Config memory c = settlement.config();
        assertEq(c.challengeWindowBlocks, CHALLENGE_WINDOW, "challenge window");
        assertEq(c.forcedInclusionBlocks, FORCED_INCLUSION, "forced inclusion");
        assertEq(c.escapeTimeoutBlocks, ESCAPE_TIMEOUT, "escape timeout");
        assertEq(settlement.nextL2Block(), 1, "L2 starts at block 1");
    }

    function test_deploymentRefusesZeroAddressesAndWindows() public {
        IRollupSettlement.Config memory ok = IRollupSettlement.Config(1, 1, 1);
        vm.expectRevert(IRollupSettlement.ZeroAddress.selector);
        new RollupSettlement(address(0), SEQUENCER, OPERATOR, ok, 0, 0);
        vm.expectRevert(IRollupSettlement.ZeroAddress.selector);
        new RollupSettlement(address(usdc), address(0), OPERATOR, ok, 0, 0);
        vm.expectRevert(IRollupSettlement.ZeroAddress.selector);
        new RollupSettlement(address(usdc), SEQUENCER, address(0), ok, 0, 0);
        vm.expectRevert(IRollupSettlement.InvalidConfig.selector);
        new RollupSettlement(address(usdc), SEQUENCER, OPERATOR, IRollupSettlement.Config(1, 0, 1), 0, 0);
        vm.expectRevert(IRollupSettlement.InvalidConfig.selector);
        new RollupSettlement(address(usdc), SEQUENCER, OPERATOR, ok, uint64(type(uint32).max) + 1, 0);
    }

    // ---- configuration ----

    function test_configChangeWaitsForTheDelay() public {
        IRollupSettlement.Config memory next = IRollupSettlement.Config(11, 22, 33);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.ConfigChangeProposed(11, 22, 33, START_BLOCK + TIMELOCK);
        vm.prank(OPERATOR);
        settlement.proposeConfig(next);
        (IRollupSettlement.Config memory pending, uint64 executableAt) = settlement.pendingConfig();
        assertEq(pending.escapeTimeoutBlocks, 33, "pending");
        assertEq(executableAt, START_BLOCK + TIMELOCK, "executable at");

        vm.roll(START_BLOCK + TIMELOCK - 1);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.TimelockNotElapsed.selector, START_BLOCK + TIMELOCK));
        settlement.executeConfig();
        assertEq(settlement.config().challengeWindowBlocks, CHALLENGE_WINDOW, "unchanged");

        vm.roll(START_BLOCK + TIMELOCK);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.ConfigChanged(11, 22, 33);
        vm.prank(ALICE); // anyone may execute a proposal whose delay is over
        settlement.executeConfig();
        IRollupSettlement.Config memory c = settlement.config();
        assertEq(c.challengeWindowBlocks, 11, "challenge window");
        assertEq(c.forcedInclusionBlocks, 22, "forced inclusion");
        assertEq(c.escapeTimeoutBlocks, 33, "escape timeout");
        vm.expectRevert(IRollupSettlement.NoPendingChange.selector);
        settlement.executeConfig();
    }

    function test_configChangeCanBeCancelled() public {
        vm.prank(OPERATOR);
        settlement.proposeConfig(IRollupSettlement.Config(11, 22, 33));
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.ConfigChangeCancelled();
        vm.prank(OPERATOR);
        settlement.cancelConfig();
        vm.roll(START_BLOCK + TIMELOCK);
        vm.expectRevert(IRollupSettlement.NoPendingChange.selector);
        settlement.executeConfig();
        assertEq(settlement.config().challengeWindowBlocks, CHALLENGE_WINDOW, "unchanged");
        vm.expectRevert(IRollupSettlement.NoPendingChange.selector);
        vm.prank(OPERATOR);
        settlement.cancelConfig();
    }

    function test_aNewProposalRestartsTheDelay() public {
        vm.prank(OPERATOR);
        settlement.proposeConfig(IRollupSettlement.Config(11, 22, 33));
        vm.roll(START_BLOCK + 20);
        vm.prank(OPERATOR);
        settlement.proposeConfig(IRollupSettlement.Config(44, 55, 66));
        vm.roll(START_BLOCK + TIMELOCK);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.TimelockNotElapsed.selector, START_BLOCK + 20 + TIMELOCK));
        settlement.executeConfig();
        vm.roll(START_BLOCK + 20 + TIMELOCK);
        settlement.executeConfig();
        assertEq(settlement.config().challengeWindowBlocks, 44, "the later proposal");
    }

    function test_invalidConfigIsRefusedAtProposal() public {
        vm.startPrank(OPERATOR);
        vm.expectRevert(IRollupSettlement.InvalidConfig.selector);
        settlement.proposeConfig(IRollupSettlement.Config(0, 1, 1));
        vm.expectRevert(IRollupSettlement.InvalidConfig.selector);
        settlement.proposeConfig(IRollupSettlement.Config(1, 1, 0));
        vm.expectRevert(IRollupSettlement.InvalidConfig.selector);
        settlement.proposeConfig(IRollupSettlement.Config(1, uint64(type(uint32).max) + 1, 1));
        vm.stopPrank();
    }

    // ---- sequencer and operator ----

    function test_sequencerChange() public {
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.SequencerChangeProposed(NEW_SEQUENCER, START_BLOCK + TIMELOCK);
        vm.prank(OPERATOR);
        settlement.proposeSequencer(NEW_SEQUENCER);
        (address pending, uint64 executableAt) = settlement.pendingSequencer();
        assertEq(pending, NEW_SEQUENCER, "pending");
        assertEq(executableAt, START_BLOCK + TIMELOCK, "executable at");

        vm.roll(START_BLOCK + TIMELOCK - 1);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.TimelockNotElapsed.selector, START_BLOCK + TIMELOCK));
        settlement.executeSequencer();
        vm.roll(START_BLOCK + TIMELOCK);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.SequencerChanged(SEQUENCER, NEW_SEQUENCER);
        settlement.executeSequencer();
        assertEq(settlement.sequencer(), NEW_SEQUENCER, "changed");

        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.NotSequencer.selector, SEQUENCER));
        vm.prank(SEQUENCER);
        settlement.postBatchData(0, 0, "x");
        vm.prank(NEW_SEQUENCER);
        settlement.postBatchData(0, 0, "x");
    }

    function test_sequencerChangeCancelled() public {
        vm.prank(OPERATOR);
        settlement.proposeSequencer(NEW_SEQUENCER);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.SequencerChangeCancelled(NEW_SEQUENCER);
        vm.prank(OPERATOR);
        settlement.cancelSequencer();
        vm.roll(START_BLOCK + TIMELOCK);
        vm.expectRevert(IRollupSettlement.NoPendingChange.selector);
        settlement.executeSequencer();
        assertEq(settlement.sequencer(), SEQUENCER, "unchanged");
    }

    function test_operatorChange() public {
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.OperatorChangeProposed(NEW_OPERATOR, START_BLOCK + TIMELOCK);
        vm.prank(OPERATOR);
        settlement.proposeOperator(NEW_OPERATOR);
        vm.roll(START_BLOCK + TIMELOCK - 1);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.TimelockNotElapsed.selector, START_BLOCK + TIMELOCK));
        settlement.executeOperator();
        vm.roll(START_BLOCK + TIMELOCK);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.OperatorChanged(OPERATOR, NEW_OPERATOR);
        settlement.executeOperator();
        assertEq(settlement.operator(), NEW_OPERATOR, "changed");

        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.NotOperator.selector, OPERATOR));
        vm.prank(OPERATOR);
        settlement.pauseDeposits();
        vm.prank(NEW_OPERATOR);
        settlement.pauseDeposits();
        assertTrue(settlement.depositsPaused(), "the new operator pauses");
    }

    function test_operatorChangeCancelled() public {
        vm.prank(OPERATOR);
        settlement.proposeOperator(NEW_OPERATOR);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.OperatorChangeCancelled(NEW_OPERATOR);
        vm.prank(OPERATOR);
        settlement.cancelOperator();
        (address pending,) = settlement.pendingOperator();
        assertEq(pending, address(0), "nothing pending");
        vm.roll(START_BLOCK + TIMELOCK);
        vm.expectRevert(IRollupSettlement.NoPendingChange.selector);
        settlement.executeOperator();
    }

    function test_onlyTheOperatorProposesAndCancels() public {
        vm.startPrank(SEQUENCER);
        bytes memory notOperator = abi.encodeWithSelector(IRollupSettlement.NotOperator.selector, SEQUENCER);
        vm.expectRevert(notOperator);
        settlement.proposeConfig(IRollupSettlement.Config(1, 1, 1));
        vm.expectRevert(notOperator);
        settlement.proposeSequencer(SEQUENCER);
        vm.expectRevert(notOperator);
        settlement.proposeOperator(SEQUENCER);
        vm.expectRevert(notOperator);
        settlement.cancelConfig();
        vm.expectRevert(notOperator);
        settlement.cancelSequencer();
        vm.expectRevert(notOperator);
        settlement.cancelOperator();
        vm.stopPrank();
    }

    function test_zeroAddressesCannotBeProposed() public {
        vm.startPrank(OPERATOR);
        vm.expectRevert(IRollupSettlement.ZeroAddress.selector);
        settlement.proposeSequencer(address(0));
        vm.expectRevert(IRollupSettlement.ZeroAddress.selector);
        settlement.proposeOperator(address(0));
        vm.stopPrank();
    }

    function testFuzz_nothingExecutesEarly(uint64 delay, uint64 wait) public {
        delay = uint64(bound(delay, 1, 1e6));
        wait = uint64(bound(wait, 0, 2e6));
        RollupSettlement s = new RollupSettlement(
            address(usdc), SEQUENCER, OPERATOR, IRollupSettlement.Config(1, 1, 1), delay, GENESIS_ROOT
        );
        vm.prank(OPERATOR);
        s.proposeOperator(NEW_OPERATOR);
        vm.roll(START_BLOCK + wait);
        if (wait < delay) {
            vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.TimelockNotElapsed.selector, START_BLOCK + delay));
            s.executeOperator();
        } else {
            s.executeOperator();
            assertEq(s.operator(), NEW_OPERATOR, "executed");
        }
    }
}
