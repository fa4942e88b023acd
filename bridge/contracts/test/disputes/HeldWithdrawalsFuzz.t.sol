// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {FinalityFuzzTest} from "./FinalityFuzz.t.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";

/// FinalityFuzz's random sequences with every batch's withdrawal drawing on a credit held for market 1 since L2 block 7
/// (batch 1): after every step, each final batch's withdrawal not yet paid is claimed, and it must be paid exactly when
/// market 1's claim of batch 1, re-posted or not, is Final (docs/disputes.md, "Finality / Left", rule 5).
contract HeldWithdrawalsFuzzTest is FinalityFuzzTest {
    uint64 internal constant HELD_BLOCK = 7;
    uint64 internal constant HELD_BATCH = 1;

    mapping(uint64 batchIndex => bool) internal paid;

    function _withdrawalValue() internal pure override returns (bytes32) {
        return keccak256(abi.encodePacked(ALICE, PAID, uint8(1), M1, HELD_BLOCK));
    }

    function _check() internal override {
        super._check();
        IRollupSettlement.HeldDraw[] memory drawn = new IRollupSettlement.HeldDraw[](1);
        drawn[0] = IRollupSettlement.HeldDraw(M1, HELD_BLOCK, HELD_BATCH);
        uint64 n = settlement.nextBatchIndex();
        for (uint64 b = HELD_BATCH; b < n; b++) {
            if (paid[b] || !settlement.isFinalized(b)) continue;
            // The fuzz re-posts an accounts claim with a random tag, which _accountsEndOf cannot open: those batches
            // are left out (market 1's re-posts, what this checks, are not).
            (, uint32 accountsVersion,,) = settlement.claimState(b, ACCOUNTS, 0);
            if (accountsVersion != 0) continue;
            bool covered = settlement.claimStatus(HELD_BATCH, MARKET, M1) == IRollupSettlement.ClaimStatus.Final;
            IRollupSettlement.AccountsEnd memory accounts = _accountsEndOf(b);
            try settlement.claimWithdrawal(b, b * 5 + 1, 0, ALICE, PAID, drawn, new bytes32[](0), accounts) {
                paid[b] = true;
                assertTrue(covered, "a held withdrawal is paid only once its market is final there");
            } catch (bytes memory reason) {
                // A covered claim refused: its own refusal is the failure's message.
                if (covered) {
                    assembly ("memory-safe") {
                        revert(add(reason, 32), mload(reason))
                    }
                }
                assertFalse(covered, "a covered held withdrawal of a final batch is paid");
            }
        }
    }
}
