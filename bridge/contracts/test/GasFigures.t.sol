// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {SettlementFixture} from "./lib/SettlementFixture.sol";
import {Smt} from "./lib/Smt.sol";
import {Claims} from "./lib/Claims.sol";
import {Records} from "./lib/Records.sol";
import {IRollupSettlement} from "../src/IRollupSettlement.sol";

/// Representative calls for the gas figures in docs/contract.md:
///   forge test --gas-report --isolate --match-contract GasFigures
/// Proofs have the depth of realistic trees (siblings made up, roots folded from them): a batch of
/// about 1,000 withdrawals, 16 million accounts, 16 markets of about 1,000 records each, a batch of 100,000
/// transactions, a batch of 2,000 blocks (the poster's default most), claims of the accounts domain and 16 markets.
contract GasFiguresTest is SettlementFixture {
    uint256 internal constant BATCH_PART_BYTES = 100 * 1024;
    uint256 internal constant WITHDRAWAL_DEPTH = 10;
    uint256 internal constant TRANSACTION_DEPTH = 17;
    uint256 internal constant BLOCK_DEPTH = 11;
    uint256 internal constant ACCOUNT_DEPTH = 24;
    uint256 internal constant MARKET_TREE_DEPTH = 10;
    uint256 internal constant MARKET_ROOTS_DEPTH = 4;

    function setUp() public override {
        super.setUp();
        _fund(ALICE, 1e12);
        usdc.mint(address(settlement), 1e12);
    }

    function test_gas_deposit() public {
        vm.prank(ALICE);
        settlement.deposit(1_000_000, ALICE);
        vm.prank(ALICE);
        settlement.deposit(2_000_000, BOB);
        assertEq(settlement.depositCount(), 2, "queued");
    }

    function test_gas_postBatchData100KiBAndCommit() public {
        bytes memory part = _batchPart();
        vm.prank(SEQUENCER);
        settlement.postBatchData(0, 0, part);
        bytes32 accumulator = keccak256(abi.encodePacked(bytes32(0), keccak256(part)));
        IRollupSettlement.Commitment memory c = IRollupSettlement.Commitment({
            batchIndex: 0,
            firstBlock: 1,
            lastBlock: 100,
            batchDataHash: accumulator,
            prevStateRoot: GENESIS_ROOT,
            newStateRoot: keccak256("state"),
            marketRootsRoot: keccak256("markets"),
            withdrawalsRoot: keccak256("withdrawals"),
            depositCursor: 0,
            firstSequence: 0,
            txCount: 1000,
            txRoot: keccak256("transactions"),
            blocksRoot: keccak256("blocks"),
            claimsRoot: bytes32(0)
        });
        IRollupSettlement.DomainClaim[] memory claims = _seventeenClaims();
        c.claimsRoot = Claims.root(claims);
        vm.prank(SEQUENCER);
        settlement.commitBatch(c, claims);
        assertEq(settlement.nextBatchIndex(), 1, "committed");
    }

    function test_gas_claimWithdrawal() public {
        bytes32[] memory siblings = _siblings("withdrawal", WITHDRAWAL_DEPTH);
        bytes32 key = Records.withdrawalKey(42, 7);
        bytes32 root = Smt.fold(key, Records.withdrawalValue(ALICE, 5_000_000), siblings);
        _commitNext(keccak256("state"), root);
        vm.roll(block.number + CHALLENGE_WINDOW);
        uint256 before = usdc.balanceOf(ALICE);
        settlement.claimWithdrawal(0, 42, 7, ALICE, 5_000_000, new IRollupSettlement.HeldDraw[](0), siblings, _accountsEnd(0));
        assertEq(usdc.balanceOf(ALICE) - before, 5_000_000, "paid");
    }

    function test_gas_transactionIncluded() public {
        bytes32[] memory siblings = _siblings("transaction", TRANSACTION_DEPTH);
        bytes32 txHash = keccak256("a transaction");
        IRollupSettlement.Commitment memory c = _nextCommitment(keccak256("state"), 0, 5, 0);
        c.txCount = 100_000;
        c.txRoot = Smt.fold(settlement.transactionKey(41_999), txHash, siblings);
        _commit(c);
        assertTrue(settlement.transactionIncluded(0, 41_999, txHash, siblings), "included");
    }

    function test_gas_blockIncluded() public {
        bytes32[] memory siblings = _siblings("block", BLOCK_DEPTH);
        bytes32 header = keccak256(abi.encodePacked(uint64(1_700_000_000_000), uint64(41_999), uint32(57)));
        // Batch 1, not 0: the view then also reads the previous batch's last block, as it does for every later batch.
        _commitNext(keccak256("state 0"), 0);
        IRollupSettlement.Commitment memory c = _nextCommitment(keccak256("state"), 0, 2_000, 0);
        c.blocksRoot = Smt.fold(keccak256(abi.encodePacked(uint64(1_234))), header, siblings);
        _commit(c);
        assertTrue(settlement.blockIncluded(1, 1_234, 1_700_000_000_000, 41_999, 57, siblings), "included");
    }

    function test_gas_claimIncluded() public {
        IRollupSettlement.DomainClaim[] memory claims = _seventeenClaims();
        IRollupSettlement.Commitment memory c = _nextCommitment(keccak256("state"), 0, 5, 0);
        _setNextClaims(claims);
        c.claimsRoot = Claims.root(claims);
        _commit(c);
        bytes32[] memory siblings = Claims.proof(claims, 0, 0);
        IRollupSettlement.DomainClaim memory a = claims[_indexOfAccounts(claims)];
        assertTrue(settlement.claimIncluded(0, 0, 0, a.start, a.end, a.steps, siblings), "included");
    }

    /// The accounts domain and 16 markets, in key order: a devnet's batch.
    function _seventeenClaims() private pure returns (IRollupSettlement.DomainClaim[] memory claims) {
        claims = new IRollupSettlement.DomainClaim[](17);
        claims[0] = IRollupSettlement.DomainClaim(0, 0, keccak256("start"), keccak256("end"), 123_456);
        for (uint32 m = 1; m <= 16; m++) {
            claims[m] = IRollupSettlement.DomainClaim(1, m, keccak256(abi.encode("start", m)), keccak256(abi.encode("end", m)), 2_000 + m);
        }
        return Claims.sorted(claims);
    }

    function _indexOfAccounts(IRollupSettlement.DomainClaim[] memory claims) private pure returns (uint256 i) {
        while (claims[i].kind != 0) i++;
    }

    function test_gas_escapeWithTwoMarkets() public {
        bytes memory accountRecord = Records.account(1_000_000, 9, 3);
        bytes32[] memory accountSiblings = _siblings("account", ACCOUNT_DEPTH);
        bytes32 accountsRoot = Smt.fold(Records.accountKey(ALICE), keccak256(accountRecord), accountSiblings);

        IRollupSettlement.MarketProof[] memory markets = new IRollupSettlement.MarketProof[](2);
        markets[0] = _marketProof(3, 2_000_000_000, 100);
        markets[1] = _marketProof(4, 15_000_000, -40);
        // Both markets' proofs must reach one market-roots tree: fold market 3's, then give market 4
        // siblings that lead to the same root (its path gets market 3's subtree as the top sibling).
        bytes32 marketsRoot = _sameMarketsRoot(markets);
        bytes32 stateRoot = keccak256(abi.encodePacked(accountsRoot, marketsRoot));

        _commitNext(stateRoot, 0);
        vm.roll(block.number + ESCAPE_TIMEOUT + 1);
        settlement.freeze();
        vm.prank(ALICE);
        hatch.escape(accountRecord, accountSiblings, marketsRoot, markets);
        assertTrue(hatch.escaped(ALICE), "escaped");
    }

    function _marketProof(uint32 id, int64 markPrice, int64 size) private pure returns (IRollupSettlement.MarketProof memory p) {
        p.market = id;
        p.marketRecord = Records.market(markPrice, "BTC-PERP", 1e8, 2);
        p.positionRecord = Records.position(size, 1_000_000);
        // The market record and the position part at the root of the market tree: each is the
        // other's subtree's sibling at depth 0, below which each has its own made-up siblings.
        bytes32 recordKey = Records.marketRecordKey();
        bytes32 positionKey = Records.positionKey(ALICE);
        p.marketRecordSiblings = _siblings(abi.encode("market record", id), MARKET_TREE_DEPTH);
        p.positionSiblings = _siblings(abi.encode("position", id), MARKET_TREE_DEPTH);
        require(Smt.bitOf(recordKey, 0) != Smt.bitOf(positionKey, 0), "keys must part at the root");
        bytes32[] memory recordBelow = _tail(p.marketRecordSiblings);
        bytes32[] memory positionBelow = _tail(p.positionSiblings);
        p.marketRecordSiblings[0] = _subtreeAt1(positionKey, keccak256(p.positionRecord), positionBelow);
        p.positionSiblings[0] = _subtreeAt1(recordKey, keccak256(p.marketRecord), recordBelow);
        p.marketRootSiblings = _siblings(abi.encode("market root", id), MARKET_ROOTS_DEPTH);
    }

    function _sameMarketsRoot(IRollupSettlement.MarketProof[] memory markets) private pure returns (bytes32) {
        bytes32[2] memory keys = [Records.marketRootKey(markets[0].market), Records.marketRootKey(markets[1].market)];
        require(Smt.bitOf(keys[0], 0) != Smt.bitOf(keys[1], 0), "market keys must part at the root");
        bytes32[2] memory below;
        for (uint256 i = 0; i < 2; i++) {
            below[i] = _subtreeAt1(keys[i], _marketTreeRoot(markets[i]), _tail(markets[i].marketRootSiblings));
        }
        markets[0].marketRootSiblings[0] = below[1];
        markets[1].marketRootSiblings[0] = below[0];
        return Smt.fold(keys[0], _marketTreeRoot(markets[0]), markets[0].marketRootSiblings);
    }

    function _marketTreeRoot(IRollupSettlement.MarketProof memory p) private pure returns (bytes32) {
        return Smt.fold(Records.marketRecordKey(), keccak256(p.marketRecord), p.marketRecordSiblings);
    }

    /// The hash of the depth-1 subtree holding `key`, given its siblings from depth 1 down.
    function _subtreeAt1(bytes32 key, bytes32 valueHash, bytes32[] memory below) private pure returns (bytes32 node) {
        node = Smt.leaf(key, valueHash);
        for (uint256 i = below.length; i > 0; i--) {
            node = Smt.bitOf(key, i) ? Smt.inner(below[i - 1], node) : Smt.inner(node, below[i - 1]);
        }
    }

    function _tail(bytes32[] memory a) private pure returns (bytes32[] memory t) {
        t = new bytes32[](a.length - 1);
        for (uint256 i = 1; i < a.length; i++) {
            t[i - 1] = a[i];
        }
    }

    function _siblings(bytes memory seed, uint256 depth) private pure returns (bytes32[] memory s) {
        s = new bytes32[](depth);
        for (uint256 i = 0; i < depth; i++) {
            s[i] = keccak256(abi.encode(seed, i));
        }
    }

    /// Compressed batch data looks random: no zero bytes to make calldata cheaper than it would be.
    function _batchPart() private pure returns (bytes memory part) {
        part = new bytes(BATCH_PART_BYTES);
        for (uint256 i = 0; i < BATCH_PART_BYTES; i += 32) {
            bytes32 word = keccak256(abi.encode(i)) | 0x0101010101010101010101010101010101010101010101010101010101010101;
            assembly {
                mstore(add(add(part, 32), i), word)
            }
        }
    }
}
