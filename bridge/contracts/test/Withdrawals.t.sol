// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {Smt} from "./lib/Smt.sol";
import {Records} from "./lib/Records.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";

contract WithdrawalsTest is SettlementFixture {
    struct Withdrawal {
        uint64 l2Block;
        uint32 txIndex;
        address account;
        uint64 amount;
    }

    Withdrawal[] internal ws;
    bytes32[] internal keys;
    bytes32[] internal values;

    function setUp() public override {
        super.setUp();
        usdc.mint(address(settlement), 1e12); // as if deposited
        _add(Withdrawal(3, 0, ALICE, 700));
        _add(Withdrawal(3, 5, BOB, 1_000_000));
        _add(Withdrawal(4, 1, ALICE, 1));
        _add(Withdrawal(5, 0, address(0xCAFE), 123_456));
    }

    function test_validProofPaysTheAccountOnce() public {
        _commitFinal();
        bytes32 key = Records.withdrawalKey(3, 5);
        assertEq(settlement.withdrawalKey(3, 5), key, "key helper");

        vm.expectEmit(address(settlement));
        emit IRollupSettlement.WithdrawalClaimed(key, BOB, 1_000_000, 0);
        vm.prank(ALICE); // anyone may claim; the account is paid
        settlement.claimWithdrawal(0, 3, 5, BOB, 1_000_000, new IRollupSettlement.HeldDraw[](0), _proof(1), _accountsEnd(0));
        assertEq(usdc.balanceOf(BOB), 1_000_000, "paid to the account");
        assertTrue(settlement.claimed(key), "claimed");

        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.AlreadyClaimed.selector, key));
        settlement.claimWithdrawal(0, 3, 5, BOB, 1_000_000, new IRollupSettlement.HeldDraw[](0), _proof(1), _accountsEnd(0));
    }

    function test_everyWithdrawalOfTheBatchIsClaimable() public {
        _commitFinal();
        for (uint256 i = 0; i < ws.length; i++) {
            Withdrawal memory w = ws[i];
            uint256 before = usdc.balanceOf(w.account);
            settlement.claimWithdrawal(0, w.l2Block, w.txIndex, w.account, w.amount, new IRollupSettlement.HeldDraw[](0), _proof(i), _accountsEnd(0));
            assertEq(usdc.balanceOf(w.account) - before, w.amount, "paid");
        }
    }

    function test_wrongClaimsAreRefused() public {
        _commitFinal();
        bytes32 key = Records.withdrawalKey(3, 0);
        bytes memory invalid = abi.encodeWithSelector(IRollupSettlement.InvalidWithdrawalProof.selector, key);

        vm.expectRevert(invalid);
        settlement.claimWithdrawal(0, 3, 0, ALICE, 701, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(0)); // more than withdrawn
        vm.expectRevert(invalid);
        settlement.claimWithdrawal(0, 3, 0, BOB, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(0)); // someone else's
        bytes32[] memory tampered = _proof(0);
        tampered[0] = keccak256("not the sibling");
        vm.expectRevert(invalid);
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), tampered, _accountsEnd(0));
        vm.expectRevert(invalid);
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(1), _accountsEnd(0)); // another leaf's proof

        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.AmountTooLarge.selector, uint256(1) << 63));
        settlement.claimWithdrawal(0, 3, 0, ALICE, uint64(1) << 63, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(0));
        assertEq(usdc.balanceOf(ALICE), 0, "nothing paid");
        assertFalse(settlement.claimed(key), "still claimable");
    }

    function test_notFinalOrUnknownBatchesDoNotPay() public {
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.UnknownBatch.selector, 0));
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(0));

        _commitNext(keccak256("root"), Smt.root(keys, values));
        vm.roll(block.number + CHALLENGE_WINDOW - 1);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.BatchNotFinal.selector, 0));
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(0));

        vm.roll(block.number + 1);
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(0));
        assertEq(usdc.balanceOf(ALICE), 700, "paid once final");
    }

    function test_aProofOnlyCountsForItsOwnBatch() public {
        _commitNext(keccak256("root 0"), keccak256("another batch's withdrawals"));
        _commitNext(keccak256("root 1"), Smt.root(keys, values));
        vm.roll(block.number + CHALLENGE_WINDOW);
        bytes32 key = Records.withdrawalKey(3, 0);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.InvalidWithdrawalProof.selector, key));
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(0));
        settlement.claimWithdrawal(1, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(1));
    }

    /// The root a withdrawal is proven in is the accounts claim's end's (word 5), which a game can dispute, not the
    /// commitment's withdrawalsRoot beside it: a batch whose field says another root pays by the claim's alone.
    function test_theRootPaidIsTheAccountsClaimsNotTheCommitmentsField() public {
        bytes32 real = Smt.root(keys, values);
        IRollupSettlement.Commitment memory c = _nextCommitment(keccak256("root 0"), real, 5, 0);
        c.withdrawalsRoot = keccak256("a root beside the claim");
        _commit(c);
        // Batch 1: the field holds the real root, the claim's end another.
        c = _nextCommitment(keccak256("root 1"), keccak256("the claim's root"), 5, 0);
        c.withdrawalsRoot = real;
        _commit(c);
        vm.roll(block.number + CHALLENGE_WINDOW);

        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), _accountsEnd(0));
        assertEq(usdc.balanceOf(ALICE), 700, "paid by the claim's root");
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.InvalidWithdrawalProof.selector, Records.withdrawalKey(3, 5)));
        settlement.claimWithdrawal(1, 3, 5, BOB, 1_000_000, new IRollupSettlement.HeldDraw[](0), _proof(1), _accountsEnd(1));
    }

    function test_anAccountsEndThatIsNotTheBatchsClaimIsRefused() public {
        _commitFinal();
        bytes memory refusal = abi.encodeWithSelector(IRollupSettlement.AccountsEndNotClaimed.selector, 0);
        IRollupSettlement.AccountsEnd memory a = _accountsEnd(0);
        a.end[5] = keccak256("another withdrawals root");
        vm.expectRevert(refusal);
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), a);
        a = _accountsEnd(0);
        a.steps += 1;
        vm.expectRevert(refusal);
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), a);
        a = _accountsEnd(0);
        a.start = keccak256("another start");
        vm.expectRevert(refusal);
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), a);
        a = _accountsEnd(0);
        a.siblings = new bytes32[](1);
        vm.expectRevert(refusal);
        settlement.claimWithdrawal(0, 3, 0, ALICE, 700, new IRollupSettlement.HeldDraw[](0), _proof(0), a);
        assertEq(usdc.balanceOf(ALICE), 0, "nothing paid");
    }

    function test_aSingleWithdrawalHasAnEmptyProof() public {
        delete ws;
        delete keys;
        delete values;
        _add(Withdrawal(9, 2, ALICE, 55));
        _commitFinal();
        assertEq(_proof(0).length, 0, "no siblings");
        settlement.claimWithdrawal(0, 9, 2, ALICE, 55, new IRollupSettlement.HeldDraw[](0), new bytes32[](0), _accountsEnd(0));
        assertEq(usdc.balanceOf(ALICE), 55, "paid");
    }

    function testFuzz_randomBatchesPayExactlyTheirWithdrawals(uint256 seed, uint8 count) public {
        delete ws;
        delete keys;
        delete values;
        uint256 n = 1 + count % 8;
        uint256 total;
        for (uint256 i = 0; i < n; i++) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint64 amount = uint64(bound(r >> 128, 1, 1e9));
            // Distinct (block, tx) pairs: the tx index carries i.
            _add(Withdrawal(uint64(r % 50), uint32(i * 1000 + (r >> 64) % 1000), address(uint160(0x7000 + r % 3)), amount));
            total += amount;
        }
        _commitFinal();
        uint256 before = usdc.balanceOf(address(settlement));
        for (uint256 i = 0; i < n; i++) {
            Withdrawal memory w = ws[i];
            settlement.claimWithdrawal(0, w.l2Block, w.txIndex, w.account, w.amount, new IRollupSettlement.HeldDraw[](0), _proof(i), _accountsEnd(0));
        }
        assertEq(before - usdc.balanceOf(address(settlement)), total, "paid out in total");
        uint256 pick = seed % n;
        vm.expectRevert(
            abi.encodeWithSelector(
                IRollupSettlement.AlreadyClaimed.selector, Records.withdrawalKey(ws[pick].l2Block, ws[pick].txIndex)
            )
        );
        settlement.claimWithdrawal(0, ws[pick].l2Block, ws[pick].txIndex, ws[pick].account, ws[pick].amount, new IRollupSettlement.HeldDraw[](0), _proof(pick), _accountsEnd(0));
    }

    function _add(Withdrawal memory w) private {
        ws.push(w);
        keys.push(Records.withdrawalKey(w.l2Block, w.txIndex));
        values.push(Records.withdrawalValue(w.account, int64(w.amount)));
    }

    function _proof(uint256 i) private view returns (bytes32[] memory) {
        return Smt.proof(keys, values, keys[i]);
    }

    function _commitFinal() private {
        _commitNext(keccak256("root"), Smt.root(keys, values));
        vm.roll(block.number + CHALLENGE_WINDOW);
    }
}
