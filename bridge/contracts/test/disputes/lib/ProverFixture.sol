// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepFixture} from "../../steps/lib/StepFixture.sol";
import {StepTrees} from "../../steps/lib/StepTrees.sol";
import {MockUSDC} from "../../../src/MockUSDC.sol";
import {RollupSettlement} from "../../../src/RollupSettlement.sol";
import {IRollupSettlement} from "../../../src/IRollupSettlement.sol";
import {Claims} from "../../lib/Claims.sol";

interface ProverVm {
    function deal(address account, uint256 balance) external;
}

/// @notice StepFixture's world over a real settlement contract: its deposit queue, and batches committed with the
/// world's transaction and block roots and a claims root, for the one-step provers to be judged against.
abstract contract ProverFixture is StepFixture {
    using StepTrees for StepTrees.Tree;

    ProverVm internal constant pvm = ProverVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    address internal constant SEQUENCER = address(0x5E0);
    address internal constant DEPOSITOR = address(0xDE9);

    MockUSDC internal usdc;
    RollupSettlement internal settlement;

    function setUp() public virtual override {
        super.setUp();
        vm.roll(1000);
        usdc = new MockUSDC();
        settlement = new RollupSettlement(
            address(usdc), SEQUENCER, address(0x0BE), IRollupSettlement.Config(10, 20, 50), 0, keccak256("genesis")
        );
        usdc.mint(DEPOSITOR, 1e9);
        vm.prank(DEPOSITOR);
        usdc.approve(address(settlement), type(uint256).max);
    }

    function _queue(address account, uint64 amount) internal {
        vm.prank(DEPOSITOR);
        settlement.deposit(amount, account);
    }

    /// Commits the next batch with the world's transaction and block roots and `claims` (sent in key order).
    function _commit(World memory w, IRollupSettlement.DomainClaim[] memory claims) internal returns (uint64 index) {
        index = settlement.nextBatchIndex();
        vm.prank(SEQUENCER);
        settlement.postBatchData(index, 0, abi.encodePacked("batch ", index));
        (, bytes32 accumulator) = settlement.pendingBatchData();
        uint64 first = settlement.nextL2Block();
        IRollupSettlement.Commitment memory c = IRollupSettlement.Commitment({
            batchIndex: index,
            firstBlock: first,
            lastBlock: first + 9,
            batchDataHash: accumulator,
            prevStateRoot: settlement.lastStateRoot(),
            newStateRoot: keccak256(abi.encode("state", index)),
            marketRootsRoot: bytes32(0),
            withdrawalsRoot: bytes32(0),
            depositCursor: settlement.depositCursor(),
            firstSequence: settlement.nextSequence(),
            txCount: 200,
            txRoot: w.txs.root(),
            blocksRoot: w.blocks.root(),
            claimsRoot: Claims.root(claims)
        });
        vm.prank(SEQUENCER);
        settlement.commitBatch(c, Claims.sorted(claims));
    }
}
