// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Test} from "./Test.sol";
import {MockUSDC} from "../../src/MockUSDC.sol";
import {RollupSettlement} from "../../src/RollupSettlement.sol";
import {EscapeHatch} from "../../src/EscapeHatch.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {Claims} from "./Claims.sol";

/// @notice A deployed token and settlement contract with small windows, and the steps tests repeat.
abstract contract SettlementFixture is Test {
    address internal constant SEQUENCER = address(0x5E0);
    address internal constant OPERATOR = address(0x0BE);
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);

    uint64 internal constant CHALLENGE_WINDOW = 10;
    uint64 internal constant FORCED_INCLUSION = 20;
    uint64 internal constant ESCAPE_TIMEOUT = 50;
    uint64 internal constant TIMELOCK = 30;
    uint64 internal constant START_BLOCK = 1000;
    bytes32 internal constant GENESIS_ROOT = keccak256("genesis state root");

    MockUSDC internal usdc;
    RollupSettlement internal settlement;
    /// The settlement's escape hatch (a call to settlement.escapeHatch() would take a vm.prank meant for the hatch).
    EscapeHatch internal hatch;
    /// The claims `_commit` sends: the accounts domain's alone, set by `_nextCommitment` with the commitment's root.
    IRollupSettlement.DomainClaim[] internal nextClaims;
    /// The accounts end `_nextCommitment` made for the next batch: its withdrawalsRoot (word 5) the commitment's.
    bytes32[17] internal nextAccountsEnd;
    /// Each batch's accounts claim with its end opened, as claimWithdrawal takes it (recorded by `_commit` when the
    /// batch's accounts claim is the one `_nextCommitment` made).
    mapping(uint64 batchIndex => IRollupSettlement.AccountsEnd) internal accountsEnds;

    function setUp() public virtual {
        vm.roll(START_BLOCK);
        usdc = new MockUSDC();
        settlement =
            new RollupSettlement(address(usdc), SEQUENCER, OPERATOR, _initialConfig(), TIMELOCK, _genesisRoot());
        hatch = settlement.escapeHatch();
    }

    /// The deployment's genesis root: made up by default (no step state L1 can rebuild); zero is the empty state.
    function _genesisRoot() internal pure virtual returns (bytes32) {
        return GENESIS_ROOT;
    }

    function _initialConfig() internal pure virtual returns (IRollupSettlement.Config memory) {
        return IRollupSettlement.Config(CHALLENGE_WINDOW, FORCED_INCLUSION, ESCAPE_TIMEOUT);
    }

    function _fund(address who, uint256 amount) internal {
        usdc.mint(who, amount);
        vm.prank(who);
        usdc.approve(address(settlement), type(uint256).max);
    }

    function _deposit(address from, uint64 amount, address l2Account) internal returns (uint64 index) {
        _fund(from, amount);
        vm.prank(from);
        index = settlement.deposit(amount, l2Account);
    }

    /// Posts `data` as the next part of the next batch; returns the new accumulator.
    function _post(bytes memory data) internal returns (bytes32 accumulator) {
        uint64 batchIndex = settlement.nextBatchIndex();
        (uint32 parts,) = settlement.pendingBatchData();
        vm.prank(SEQUENCER);
        settlement.postBatchData(batchIndex, parts, data);
        (, accumulator) = settlement.pendingBatchData();
    }

    /// Posts one part and returns the commitment that validly follows the last one (without transactions; made-up
    /// blocks and claims roots, which only validators can check).
    function _nextCommitment(bytes32 newStateRoot, bytes32 withdrawalsRoot, uint64 blocks, uint64 depositCursor)
        internal
        returns (IRollupSettlement.Commitment memory c)
    {
        uint64 index = settlement.nextBatchIndex();
        bytes32 accumulator = _post(abi.encodePacked("batch ", index));
        uint64 first = settlement.nextL2Block();
        c = IRollupSettlement.Commitment({
            batchIndex: index,
            firstBlock: first,
            lastBlock: first + blocks - 1,
            batchDataHash: accumulator,
            prevStateRoot: settlement.lastStateRoot(),
            newStateRoot: newStateRoot,
            marketRootsRoot: keccak256(abi.encodePacked("markets", index)),
            withdrawalsRoot: withdrawalsRoot,
            depositCursor: depositCursor,
            firstSequence: settlement.nextSequence(),
            txCount: 0,
            txRoot: bytes32(0),
            blocksRoot: keccak256(abi.encodePacked("blocks", index)),
            claimsRoot: bytes32(0)
        });
        bytes32 seed = keccak256(abi.encodePacked("claims", index));
        nextAccountsEnd = _accountsEndWords(seed, withdrawalsRoot);
        IRollupSettlement.DomainClaim[] memory claims = new IRollupSettlement.DomainClaim[](1);
        claims[0] = IRollupSettlement.DomainClaim(0, 0, keccak256(abi.encode(seed, "start")), _endHash(nextAccountsEnd), 1);
        _setNextClaims(claims);
        c.claimsRoot = Claims.root(nextClaims);
    }

    /// The seventeen words of an accounts step state: `tag` (word 0) tells them apart, word 5 is the withdrawals root.
    function _accountsEndWords(bytes32 tag, bytes32 withdrawalsRoot) internal pure returns (bytes32[17] memory w) {
        w[0] = tag;
        w[5] = withdrawalsRoot;
    }

    function _endHash(bytes32[17] memory words) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(words));
    }

    /// Batch `index`'s accounts claim opened (`_commit` recorded it).
    function _accountsEnd(uint64 index) internal view returns (IRollupSettlement.AccountsEnd memory) {
        return accountsEnds[index];
    }

    function _setNextClaims(IRollupSettlement.DomainClaim[] memory claims) internal {
        delete nextClaims;
        for (uint256 i = 0; i < claims.length; i++) {
            nextClaims.push(claims[i]);
        }
    }

    function _commit(IRollupSettlement.Commitment memory c) internal {
        vm.prank(SEQUENCER);
        settlement.commitBatch(c, nextClaims);
        IRollupSettlement.DomainClaim[] memory claims = nextClaims;
        for (uint256 i = 0; i < claims.length; i++) {
            if (claims[i].kind == 0 && claims[i].end == _endHash(nextAccountsEnd)) {
                accountsEnds[c.batchIndex] = IRollupSettlement.AccountsEnd(claims[i].start, claims[i].steps, nextAccountsEnd, Claims.proof(claims, 0, 0));
            }
        }
    }

    /// Commits the next batch (5 L2 blocks, deposit cursor unchanged) with the given roots.
    function _commitNext(bytes32 newStateRoot, bytes32 withdrawalsRoot) internal {
        _commit(_nextCommitment(newStateRoot, withdrawalsRoot, 5, settlement.depositCursor()));
    }

    function _err(bytes4 selector, uint256 a) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, a);
    }

    function _err(bytes4 selector, uint256 a, uint256 b) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, a, b);
    }

    function _err(bytes4 selector, bytes32 a, bytes32 b) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, a, b);
    }
}
