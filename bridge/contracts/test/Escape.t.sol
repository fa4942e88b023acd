// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {Smt} from "./lib/Smt.sol";
import {Records} from "./lib/Records.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";

/// An L2 state with two accounts' positions in three markets, its trees built in the test, and the
/// escape hatch paying by proofs against it.
contract EscapeTest is SettlementFixture {
    // A challenge window longer than the escape timeout, so a freeze can meet batches not yet final.
    uint64 internal constant LONG_CHALLENGE_WINDOW = 100;
    address internal constant CAROL = address(0xCA201);

    bytes32[] internal accountKeys;
    bytes32[] internal accountValues;
    mapping(address => bytes) internal accountRecord;

    uint32[] internal marketIds;
    mapping(uint32 => bytes32[]) internal marketKeys;
    mapping(uint32 => bytes32[]) internal marketValues;
    mapping(uint32 => bytes) internal marketRecord;
    mapping(uint32 => mapping(address => bytes)) internal positionRecord;

    bytes32[] internal marketRootKeys;
    bytes32[] internal marketRootValues;

    bytes32 internal accountsRoot;
    bytes32 internal marketsRoot;
    bytes32 internal stateRoot;

    function _initialConfig() internal pure override returns (IRollupSettlement.Config memory) {
        return IRollupSettlement.Config(LONG_CHALLENGE_WINDOW, FORCED_INCLUSION, ESCAPE_TIMEOUT);
    }

    function setUp() public override {
        super.setUp();
        usdc.mint(address(settlement), 1e9); // the collateral the L2 state stands for

        _account(ALICE, 1000);
        _account(BOB, -50);
        _account(CAROL, 0);
        _account(address(0xF111), 77);

        // Market 1: ALICE 1000 of equity (-5000 + 300·2001/100 = 1003); BOB -7 at 2001: 100 - 140 < 0;
        // CAROL -3 at 2001: -6003/100 truncates to -60, not -61, so 40.
        _market(1, 2001, "ETH-PERP", 100);
        _position(1, ALICE, 300, -5000);
        _position(1, BOB, -7, 100);
        _position(1, CAROL, -3, 100);
        // Market 2: ALICE short 10 at 50 with 100 collateral: 100 - 500 = -400, counted as 0.
        _market(2, 50, "SOL", 1);
        _position(2, ALICE, -10, 100);
        // Market 3 has had funding: its index is 2.5e9 (2.5 units of collateral per unit of size).
        // 0xF111 long 4 settled at 1_000_000_001 owes ⌈4·1_499_999_999/1e9⌉ = 6: 10 - 6 + 400 = 404.
        // BOB short 2, settled at 0 (a 16-byte record), is owed 2·2.5 = 5: 300 + 5 - 200 = 105.
        _marketWithFunding(3, 100, "BTC", 1, 2_500_000_000);
        _positionSettledAt(3, address(0xF111), 4, 10, 1_000_000_001);
        _position(3, BOB, -2, 300);
        // Market 7: nobody we test holds anything but the tree is there.
        _market(7, 9, "DOGE-USD", 1000);
        _position(7, address(0xF111), 5, 5);
        _seal();
    }

    // ---- freezing ----

    function test_freezeTooEarlyIsRefused() public {
        // Counted from deployment while nothing was committed.
        vm.roll(START_BLOCK + ESCAPE_TIMEOUT);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.FreezeTooEarly.selector, START_BLOCK + ESCAPE_TIMEOUT + 1));
        settlement.freeze();
        _commitNext(stateRoot, 0);
        vm.roll(START_BLOCK + ESCAPE_TIMEOUT + 1);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.FreezeTooEarly.selector, 2 * ESCAPE_TIMEOUT + START_BLOCK + 1));
        settlement.freeze();
        assertEq(settlement.freezableAt(), START_BLOCK + 2 * ESCAPE_TIMEOUT + 1, "freezable at");
    }

    function test_freezeWithoutFinalBatchesEscapesFromGenesis() public {
        _commitNext(stateRoot, 0); // never final: the window is longer than the timeout
        vm.roll(START_BLOCK + ESCAPE_TIMEOUT + 1);
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.Frozen(type(uint64).max, GENESIS_ROOT);
        settlement.freeze();
        assertTrue(settlement.frozen(), "frozen");
        assertEq(settlement.escapeStateRoot(), GENESIS_ROOT, "genesis");
        assertEq(settlement.finalBatchCount(), 0, "no final batch");
        vm.roll(START_BLOCK + 10 * LONG_CHALLENGE_WINDOW);
        assertFalse(settlement.isFinalized(0), "never final after a freeze");
    }

    function test_freezeTakesTheLastFinalBatch() public {
        _commitNext(keccak256("batch 0"), 0); // at 1000, final at 1100
        vm.roll(START_BLOCK + 40);
        _commitNext(stateRoot, 0); // final at 1140
        vm.roll(START_BLOCK + 80);
        _commitNext(keccak256("batch 2"), 0); // final at 1180
        vm.roll(START_BLOCK + 80 + ESCAPE_TIMEOUT + 20); // 1150
        vm.expectEmit(address(settlement));
        emit IRollupSettlement.Frozen(1, stateRoot);
        settlement.freeze();
        assertEq(settlement.escapeStateRoot(), stateRoot, "batch 1's root");
        assertTrue(settlement.isFinalized(1), "batch 1 final");
        vm.roll(START_BLOCK + 1000);
        assertFalse(settlement.isFinalized(2), "batch 2 stays not final");
        assertEq(settlement.finalBatchCount(), 2, "two final");
    }

    function testFuzz_freezeFindsTheLastFinalBatch(uint8[8] memory gaps, uint8 count, uint8 wait) public {
        uint256 n = 1 + count % 8;
        uint64 blockNumber = START_BLOCK;
        for (uint256 i = 0; i < n; i++) {
            blockNumber += gaps[i] % 60;
            vm.roll(blockNumber);
            _commitNext(keccak256(abi.encode("root", i)), 0);
        }
        uint64 freezeBlock = blockNumber + ESCAPE_TIMEOUT + 1 + wait;
        vm.roll(freezeBlock);
        settlement.freeze();
        uint256 finalCount;
        for (uint64 i = 0; i < n; i++) {
            if (settlement.batch(i).recordedAt + LONG_CHALLENGE_WINDOW <= freezeBlock) finalCount = i + 1;
        }
        bytes32 expected = finalCount == 0 ? GENESIS_ROOT : keccak256(abi.encode("root", finalCount - 1));
        assertEq(settlement.escapeStateRoot(), expected, "escape root");
        assertEq(settlement.finalBatchCount(), finalCount, "final count");
    }

    function test_freezeOnlyOnce() public {
        vm.roll(START_BLOCK + ESCAPE_TIMEOUT + 1);
        settlement.freeze();
        vm.expectRevert(IRollupSettlement.ContractFrozen.selector);
        settlement.freeze();
    }

    function test_afterTheFreezeNothingMovesTheChain() public {
        _fund(ALICE, 10);
        IRollupSettlement.Commitment memory c = _nextCommitment(stateRoot, 0, 1, 0);
        vm.roll(START_BLOCK + ESCAPE_TIMEOUT + 1);
        settlement.freeze();

        vm.expectRevert(IRollupSettlement.ContractFrozen.selector);
        vm.prank(ALICE);
        settlement.deposit(10, ALICE);
        vm.startPrank(SEQUENCER);
        vm.expectRevert(IRollupSettlement.ContractFrozen.selector);
        settlement.commitBatch(c, nextClaims);
        vm.expectRevert(IRollupSettlement.ContractFrozen.selector);
        settlement.postBatchData(0, 1, "x");
        vm.expectRevert(IRollupSettlement.ContractFrozen.selector);
        settlement.discardBatchData();
        vm.stopPrank();
    }

    // ---- escaping ----

    function test_escapePaysFreeBalanceAndPositiveEquity() public {
        _freezeAtStateRoot();
        uint32[] memory markets = new uint32[](2);
        (markets[0], markets[1]) = (1, 2);
        vm.expectEmit(address(hatch));
        emit IRollupSettlement.Escaped(ALICE, 2003, 2003);
        _escape(ALICE, markets);
        // 1000 free + 1003 in market 1 + 0 for the negative equity in market 2
        assertEq(usdc.balanceOf(ALICE), 2003, "ALICE paid");
        assertTrue(hatch.escaped(ALICE), "escaped");
    }

    function test_escapeTruncatesTowardZero() public {
        _freezeAtStateRoot();
        uint32[] memory markets = new uint32[](1);
        markets[0] = 1;
        _escape(CAROL, markets);
        assertEq(usdc.balanceOf(CAROL), 40, "100 - 60");
    }

    function test_negativeBalanceAndEquityPayNothing() public {
        _freezeAtStateRoot();
        uint32[] memory markets = new uint32[](1);
        markets[0] = 1;
        vm.expectEmit(address(hatch));
        emit IRollupSettlement.Escaped(BOB, 0, 0);
        _escape(BOB, markets);
        assertEq(usdc.balanceOf(BOB), 0, "nothing");
        assertTrue(hatch.escaped(BOB), "but it is done");
    }

    function test_escapeCountsFundingOwedSinceTheLastSettlement() public {
        _freezeAtStateRoot();
        uint32[] memory markets = new uint32[](2);
        markets[0] = 3;
        markets[1] = 7;
        _escape(address(0xF111), markets);
        // 77 free + 404 in market 3 + (5 + 5·9/1000 = 5) in market 7
        assertEq(usdc.balanceOf(address(0xF111)), 486, "payer rounds up");
        markets[0] = 1;
        markets[1] = 3;
        _escape(BOB, markets);
        assertEq(usdc.balanceOf(BOB), 105, "receiver gets its funding");
    }

    function test_escapeOnlyOnce() public {
        _freezeAtStateRoot();
        _escape(ALICE, new uint32[](0));
        assertEq(usdc.balanceOf(ALICE), 1000, "free balance only");
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.AlreadyEscaped.selector, ALICE));
        _escape(ALICE, new uint32[](0));
    }

    function test_escapeBeforeTheFreezeIsRefused() public {
        vm.expectRevert(IRollupSettlement.NotFrozen.selector);
        _escape(ALICE, new uint32[](0));
    }

    function test_onlyTheHatchIsPaidOut() public {
        _freezeAtStateRoot();
        uint256 held = usdc.balanceOf(address(settlement));
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.NotEscapeHatch.selector, ALICE));
        vm.prank(ALICE);
        settlement.payEscape(ALICE, 1);
        assertEq(address(hatch.settlement()), address(settlement), "the hatch pays through its deployer");
        assertEq(usdc.balanceOf(address(settlement)), held, "nothing paid");
    }

    function test_escapeIsCappedByTheContractsBalance() public {
        _freezeAtStateRoot();
        uint256 held = usdc.balanceOf(address(settlement));
        vm.prank(address(settlement));
        usdc.transfer(address(0xdead), held - 500);
        vm.expectEmit(address(hatch));
        emit IRollupSettlement.Escaped(ALICE, 1000, 500);
        _escape(ALICE, new uint32[](0));
        assertEq(usdc.balanceOf(ALICE), 500, "what was left");
    }

    function test_marketsMustBeStrictlyIncreasing() public {
        _freezeAtStateRoot();
        uint32[] memory markets = new uint32[](2);
        (markets[0], markets[1]) = (2, 1);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.MarketsNotIncreasing.selector, 2, 1));
        _escape(ALICE, markets);
        (markets[0], markets[1]) = (1, 1);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.MarketsNotIncreasing.selector, 1, 1));
        _escape(ALICE, markets);
    }

    function test_badProofsAreRefused() public {
        _freezeAtStateRoot();
        uint32[] memory one = new uint32[](1);
        one[0] = 1;

        // A richer account record than the state holds.
        IRollupSettlement.MarketProof[] memory proofs = _marketProofs(ALICE, one);
        bytes memory richer = Records.account(1_000_000, 0, 0);
        vm.expectRevert(_rootMismatch(Smt.fold(Records.accountKey(ALICE), keccak256(richer), _accountProof(ALICE))));
        vm.prank(ALICE);
        hatch.escape(richer, _accountProof(ALICE), marketsRoot, proofs);

        // A position record that is not in market 1's tree.
        proofs = _marketProofs(ALICE, one);
        proofs[0].positionRecord = Records.position(300, 0);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.MarketTreeMismatch.selector, 1));
        vm.prank(ALICE);
        hatch.escape(accountRecord[ALICE], _accountProof(ALICE), marketsRoot, proofs);

        // Market 1's true tree presented as market 2's.
        proofs = _marketProofs(ALICE, one);
        proofs[0].market = 2;
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.MarketsRootMismatch.selector, 2));
        vm.prank(ALICE);
        hatch.escape(accountRecord[ALICE], _accountProof(ALICE), marketsRoot, proofs);

        // Someone else's proofs: the caller's keys do not match them.
        proofs = _marketProofs(ALICE, new uint32[](0));
        vm.expectRevert(
            _rootMismatch(Smt.fold(Records.accountKey(BOB), keccak256(accountRecord[ALICE]), _accountProof(ALICE)))
        );
        vm.prank(BOB);
        hatch.escape(accountRecord[ALICE], _accountProof(ALICE), marketsRoot, proofs);
        assertEq(usdc.balanceOf(ALICE), 0, "nothing paid");
        assertFalse(hatch.escaped(ALICE), "may still escape");
    }

    function test_wrongMarketsRootNamesBothRoots() public {
        _freezeAtStateRoot();
        bytes32 wrongMarketsRoot = keccak256("other markets");
        bytes32 proven = keccak256(abi.encodePacked(accountsRoot, wrongMarketsRoot));
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.StateRootMismatch.selector, stateRoot, proven));
        vm.prank(ALICE);
        hatch.escape(accountRecord[ALICE], _accountProof(ALICE), wrongMarketsRoot, _marketProofs(ALICE, new uint32[](0)));
    }

    function test_aNotFinalStateCannotBeEscapedFrom() public {
        _commitNext(keccak256("final root"), 0);
        vm.roll(START_BLOCK + 60);
        _commitNext(stateRoot, 0); // final at 1160
        vm.roll(START_BLOCK + 60 + ESCAPE_TIMEOUT + 1);
        settlement.freeze();
        assertEq(settlement.escapeStateRoot(), keccak256("final root"), "batch 0");
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.StateRootMismatch.selector, keccak256("final root"), stateRoot));
        _escape(ALICE, new uint32[](0));
    }

    function test_finalWithdrawalsStayClaimableAfterAFreeze() public {
        bytes32[] memory keys = new bytes32[](1);
        bytes32[] memory values = new bytes32[](1);
        keys[0] = Records.withdrawalKey(1, 0);
        values[0] = Records.withdrawalValue(ALICE, 40);
        bytes32 withdrawals = Smt.root(keys, values);
        _commitNext(keccak256("root 0"), withdrawals);
        vm.roll(START_BLOCK + 60);
        // The same tree again in batch 1 (a different key would do as well): only finality differs.
        _commitNext(keccak256("root 1"), withdrawals);
        vm.roll(START_BLOCK + 60 + ESCAPE_TIMEOUT + 1);
        settlement.freeze();

        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.BatchNotFinal.selector, 1));
        settlement.claimWithdrawal(1, 1, 0, ALICE, 40, new IRollupSettlement.HeldDraw[](0), new bytes32[](0), _accountsEnd(1));
        settlement.claimWithdrawal(0, 1, 0, ALICE, 40, new IRollupSettlement.HeldDraw[](0), new bytes32[](0), _accountsEnd(0));
        assertEq(usdc.balanceOf(ALICE), 40, "paid from the final batch");
    }

    // ---- deposits the escape root never saw ----

    function test_depositsNotConsumedByTheLastFinalBatchAreReturned() public {
        _deposit(ALICE, 10, ALICE); // 0: consumed by batch 0
        _deposit(ALICE, 20, BOB); // 1: consumed by batch 1 only, which will not be final
        _commit(_nextCommitment(stateRoot, 0, 1, 1));
        vm.roll(START_BLOCK + 50);
        _deposit(ALICE, 30, CAROL); // 2: never consumed
        vm.roll(START_BLOCK + 60);
        _commit(_nextCommitment(keccak256("later"), 0, 1, 2));
        vm.roll(START_BLOCK + 60 + ESCAPE_TIMEOUT + 1);

        vm.expectRevert(IRollupSettlement.NotFrozen.selector);
        hatch.reclaimDeposit(1);
        settlement.freeze();
        assertEq(settlement.escapeDepositCursor(), 1, "batch 0 consumed one");

        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.DepositNotReclaimable.selector, 0, 1));
        hatch.reclaimDeposit(0);
        vm.expectEmit(address(hatch));
        emit IRollupSettlement.DepositReclaimed(1, BOB, 20, 20);
        hatch.reclaimDeposit(1);
        hatch.reclaimDeposit(2);
        assertEq(usdc.balanceOf(BOB), 20, "BOB's deposit back");
        assertEq(usdc.balanceOf(CAROL), 30, "CAROL's deposit back");
        assertTrue(hatch.depositReclaimed(1), "marked");
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.DepositAlreadyReclaimed.selector, 1));
        hatch.reclaimDeposit(1);
        vm.expectRevert(abi.encodeWithSelector(IRollupSettlement.UnknownDeposit.selector, 3, 3));
        hatch.reclaimDeposit(3);
    }

    // ---- the state ----

    function _account(address who, int64 freeBalance) private {
        bytes memory record = Records.account(freeBalance, 42, 0x0f);
        accountRecord[who] = record;
        accountKeys.push(Records.accountKey(who));
        accountValues.push(keccak256(record));
    }

    function _market(uint32 id, int64 markPrice, string memory symbol, uint64 sizeScale) private {
        bytes memory record = Records.market(markPrice, symbol, sizeScale, 1);
        marketIds.push(id);
        marketRecord[id] = record;
        marketKeys[id].push(Records.marketRecordKey());
        marketValues[id].push(keccak256(record));
        // A resting order, so the market tree holds more than records we prove.
        marketKeys[id].push(keccak256(abi.encodePacked(uint8(0x02), uint64(id) * 1000)));
        marketValues[id].push(keccak256(abi.encode("order", id)));
    }

    function _marketWithFunding(uint32 id, int64 markPrice, string memory symbol, uint64 sizeScale, int64 index) private {
        bytes memory record = Records.marketWithFunding(markPrice, symbol, sizeScale, 1, index);
        marketIds.push(id);
        marketRecord[id] = record;
        marketKeys[id].push(Records.marketRecordKey());
        marketValues[id].push(keccak256(record));
    }

    function _positionSettledAt(uint32 id, address who, int64 size, int64 collateral, int64 index) private {
        bytes memory record = Records.position(size, collateral, index);
        positionRecord[id][who] = record;
        marketKeys[id].push(Records.positionKey(who));
        marketValues[id].push(keccak256(record));
    }

    function _position(uint32 id, address who, int64 size, int64 collateral) private {
        bytes memory record = Records.position(size, collateral);
        positionRecord[id][who] = record;
        marketKeys[id].push(Records.positionKey(who));
        marketValues[id].push(keccak256(record));
    }

    function _seal() private {
        for (uint256 i = 0; i < marketIds.length; i++) {
            marketRootKeys.push(Records.marketRootKey(marketIds[i]));
            marketRootValues.push(Smt.root(marketKeys[marketIds[i]], marketValues[marketIds[i]]));
        }
        accountsRoot = Smt.root(accountKeys, accountValues);
        marketsRoot = Smt.root(marketRootKeys, marketRootValues);
        stateRoot = keccak256(abi.encodePacked(accountsRoot, marketsRoot));
    }

    /// The error for proofs that lead to `provenAccountsRoot` instead of the true accounts root.
    function _rootMismatch(bytes32 provenAccountsRoot) private view returns (bytes memory) {
        bytes32 proven = keccak256(abi.encodePacked(provenAccountsRoot, marketsRoot));
        return abi.encodeWithSelector(IRollupSettlement.StateRootMismatch.selector, stateRoot, proven);
    }

    function _freezeAtStateRoot() private {
        _commitNext(stateRoot, 0);
        vm.roll(START_BLOCK + LONG_CHALLENGE_WINDOW);
        settlement.freeze();
        assertEq(settlement.escapeStateRoot(), stateRoot, "escape root");
    }

    function _accountProof(address who) private view returns (bytes32[] memory) {
        return Smt.proof(accountKeys, accountValues, Records.accountKey(who));
    }

    function _marketProofs(address who, uint32[] memory ids) private view returns (IRollupSettlement.MarketProof[] memory proofs) {
        proofs = new IRollupSettlement.MarketProof[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) {
            uint32 id = ids[i];
            proofs[i] = IRollupSettlement.MarketProof({
                market: id,
                marketRecord: marketRecord[id],
                marketRecordSiblings: Smt.proof(marketKeys[id], marketValues[id], Records.marketRecordKey()),
                positionRecord: positionRecord[id][who],
                positionSiblings: Smt.proof(marketKeys[id], marketValues[id], Records.positionKey(who)),
                marketRootSiblings: Smt.proof(marketRootKeys, marketRootValues, Records.marketRootKey(id))
            });
        }
    }

    function _escape(address who, uint32[] memory ids) private {
        IRollupSettlement.MarketProof[] memory proofs = _marketProofs(who, ids);
        bytes32[] memory accountProof = _accountProof(who);
        vm.prank(who);
        hatch.escape(accountRecord[who], accountProof, marketsRoot, proofs);
    }
}
