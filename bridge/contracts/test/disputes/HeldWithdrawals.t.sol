// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {FinalityFixture} from "./lib/FinalityFixture.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";

/// Rule 5 of docs/disputes.md ("Finality / Left"): a withdrawal that drew on funds held for market 1 since L2 block 7
/// (batch 1's blocks are 6..10) is paid once market 1's claims are Final through batch 1 and were never re-posted up
/// to it, whatever the accounts claim's schedule says; one that drew on none is not held by any market. Each batch's
/// withdrawal leaf here is ALICE ‖ 100 ‖ u8 1 ‖ u32 1 ‖ u64 7, written out below as the engine's WithdrawalLeaf makes it.
contract HeldWithdrawalsTest is FinalityFixture {
    uint64 internal constant HELD_BLOCK = 7;
    uint64 internal constant HELD_BATCH = 1;

    function setUp() public override {
        super.setUp();
        _wire(address(game));
    }

    function _withdrawalValue() internal pure override returns (bytes32) {
        return keccak256(abi.encodePacked(ALICE, PAID, uint8(1), M1, HELD_BLOCK));
    }

    function _draws(uint32 market, uint64 l2Block, uint64 batchIndex)
        internal
        pure
        returns (IRollupSettlement.HeldDraw[] memory d)
    {
        d = new IRollupSettlement.HeldDraw[](1);
        d[0] = IRollupSettlement.HeldDraw(market, l2Block, batchIndex);
    }

    function _commitThree() internal {
        _commitBatch();
        _commitBatch();
        _commitBatch();
    }

    function _notFinal(uint64 batchIndex, IRollupSettlement.ClaimStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IRollupSettlement.HeldMarketNotFinal.selector, M1, batchIndex, status);
    }

    function test_paidWhenTheMarketIsFinalThroughTheHeldBlocksBatch() public {
        _commitThree();
        vm.roll(block.number + CHALLENGE_WINDOW);
        uint256 before = usdc.balanceOf(ALICE);
        _withdrawBatch(2, _draws(M1, HELD_BLOCK, HELD_BATCH));
        assertEq(usdc.balanceOf(ALICE), before + PAID, "paid");
        // A later batch than the one holding the block is a stronger cover, and pays as well.
        _withdrawBatch(1, _draws(M1, HELD_BLOCK, 2));
        assertEq(usdc.balanceOf(ALICE), before + 2 * PAID, "paid");
    }

    /// The gas figure of docs/disputes.md ("Gas"): one held credit covered, beside FinalityGas's plain withdrawal.
    function test_gas_claimWithdrawalDrawingOnOneHeldCredit() public {
        _commitThree();
        vm.roll(block.number + CHALLENGE_WINDOW);
        _withdrawBatch(2, _draws(M1, HELD_BLOCK, HELD_BATCH));
    }

    function test_theLeafBindsItsDraws() public {
        _commitThree();
        vm.roll(block.number + CHALLENGE_WINDOW);
        bytes memory badProof = abi.encodeWithSelector(
            IRollupSettlement.InvalidWithdrawalProof.selector, settlement.withdrawalKey(2 * 5 + 1, 0)
        );
        _expectWithdrawalRefused(2, new IRollupSettlement.HeldDraw[](0), badProof); // its draws left out
        _expectWithdrawalRefused(2, _draws(M2, HELD_BLOCK, HELD_BATCH), badProof); // another market
        _expectWithdrawalRefused(2, _draws(M1, HELD_BLOCK - 1, HELD_BATCH), badProof); // another block
    }

    function test_aDrawsBatchMustHoldItsBlock() public {
        _commitThree();
        vm.roll(block.number + CHALLENGE_WINDOW);
        _expectWithdrawalRefused(
            2,
            _draws(M1, HELD_BLOCK, 0),
            abi.encodeWithSelector(IRollupSettlement.HeldBlockAfterBatch.selector, HELD_BLOCK, uint64(0))
        );
        _expectWithdrawalRefused(2, _draws(M1, HELD_BLOCK, 9), _notFinal(9, IRollupSettlement.ClaimStatus.None));
    }

    function test_waitsWhileTheMarketIsDisputedEvenWithTheBatchFinal() public {
        _commitThree();
        bytes32 id = _open(CAROL, 0, MARKET, M1);
        vm.roll(block.number + CHALLENGE_WINDOW);
        assertTrue(settlement.isFinalized(2), "the batch is final on the accounts claim's schedule");
        // Market 1's game in batch 0 holds its claims after it: Held in batch 1.
        _expectWithdrawalRefused(2, _draws(M1, HELD_BLOCK, HELD_BATCH), _notFinal(HELD_BATCH, IRollupSettlement.ClaimStatus.Held));
        _end(id, false);
        uint256 before = usdc.balanceOf(ALICE);
        _withdrawBatch(2, _draws(M1, HELD_BLOCK, HELD_BATCH));
        assertEq(usdc.balanceOf(ALICE), before + PAID, "paid once the defender won");
    }

    function test_aGameAgainstAnotherMarketHoldsNothing() public {
        _commitThree();
        _open(CAROL, 1, MARKET, M2);
        vm.roll(block.number + CHALLENGE_WINDOW);
        uint256 before = usdc.balanceOf(ALICE);
        _withdrawBatch(2, _draws(M1, HELD_BLOCK, HELD_BATCH));
        assertEq(usdc.balanceOf(ALICE), before + PAID, "market 2's dispute does not hold market 1's funds");
    }

    function test_aMarketRepostedAtOrBeforeTheHeldBatchPaysOnceTheRepostIsFinal() public {
        _commitThree();
        bytes32 id = _open(CAROL, HELD_BATCH, MARKET, M1);
        _end(id, true);
        vm.roll(block.number + CHALLENGE_WINDOW);
        _expectWithdrawalRefused(2, _draws(M1, HELD_BLOCK, HELD_BATCH), _notFinal(HELD_BATCH, IRollupSettlement.ClaimStatus.Fallen));
        _repost(MARKET, M1, 1);
        _expectWithdrawalRefused(2, _draws(M1, HELD_BLOCK, HELD_BATCH), _notFinal(HELD_BATCH, IRollupSettlement.ClaimStatus.Pending));
        vm.roll(block.number + CHALLENGE_WINDOW);
        assertEq(_status(HELD_BATCH, MARKET, M1), 3, "re-posted and final");
        uint256 before = usdc.balanceOf(ALICE);
        _withdrawBatch(2, _draws(M1, HELD_BLOCK, HELD_BATCH));
        assertEq(usdc.balanceOf(ALICE), before + PAID, "paid by the re-posted claims once they are final");
    }

    function test_aFallAfterTheHeldBatchDoesNotHoldIt() public {
        _commitThree();
        bytes32 id = _open(CAROL, 2, MARKET, M1);
        _end(id, true);
        vm.roll(block.number + CHALLENGE_WINDOW);
        uint256 before = usdc.balanceOf(ALICE);
        _withdrawBatch(2, _draws(M1, HELD_BLOCK, HELD_BATCH));
        assertEq(usdc.balanceOf(ALICE), before + PAID, "paid while market 1 is void from batch 2");
        _repost(MARKET, M1, 1);
        vm.roll(block.number + CHALLENGE_WINDOW);
        _withdrawBatch(1, _draws(M1, HELD_BLOCK, HELD_BATCH));
        assertEq(usdc.balanceOf(ALICE), before + 2 * PAID, "and after its re-post from batch 2");
    }
}
