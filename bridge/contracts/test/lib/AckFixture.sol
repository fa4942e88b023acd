// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Test} from "./Test.sol";
import {Smt} from "./Smt.sol";
import {MockUSDC} from "../../src/MockUSDC.sol";
import {RollupSettlement} from "../../src/RollupSettlement.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {Claims} from "./Claims.sol";
import {AckSlashing} from "../../src/AckSlashing.sol";
import {IAckSlashing} from "../../src/IAckSlashing.sol";

/// The cheatcodes for keys and balances, which lib/Test.sol's Vm leaves out.
interface VmKeys {
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    function deal(address account, uint256 balance) external;
}

/// @notice A settlement contract whose sequencer has a known key, the ack slashing contract beside it with a bond,
/// and acks signed the way docs/acks.md says, with the digest and the ack tree built here independently.
abstract contract AckFixture is Test {
    VmKeys internal constant keys = VmKeys(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    uint256 internal constant SEQUENCER_KEY = 0x5E9;
    uint256 internal constant OTHER_KEY = 0x07E;
    address internal constant OPERATOR = address(0x0BE);
    address internal constant HOLDER = address(0xA11CE);
    address internal constant PAYEE = address(0xB0B);
    uint256 internal constant L2_CHAIN_ID = 31337;
    uint64 internal constant CHALLENGE_WINDOW = 10;
    uint64 internal constant BOND_DELAY = 100;
    uint256 internal constant SLASH = 1 ether;
    uint32 internal constant BURN_PPM = 250_000;
    uint256 internal constant BOND = 5 ether;

    address internal sequencer;
    RollupSettlement internal settlement;
    AckSlashing internal slashing;

    function setUp() public virtual {
        vm.roll(1000);
        sequencer = keys.addr(SEQUENCER_KEY);
        MockUSDC usdc = new MockUSDC();
        settlement = new RollupSettlement(
            address(usdc), sequencer, OPERATOR, IRollupSettlement.Config(CHALLENGE_WINDOW, 20, 50), 30, keccak256("genesis")
        );
        slashing = new AckSlashing(address(settlement), L2_CHAIN_ID, SLASH, BURN_PPM, BOND_DELAY);
        keys.deal(sequencer, 100 ether);
        vm.prank(sequencer);
        slashing.depositBond{value: BOND}();
    }

    // ---- acks ----

    function _leaf(uint64 sequence, bytes32 txHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(sequence, txHash));
    }

    function _digest(bytes32 root) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes("Rollup")),
                keccak256(bytes("1")),
                L2_CHAIN_ID,
                address(settlement)
            )
        );
        bytes32 message = keccak256(abi.encode(keccak256("AckRoot(bytes32 root)"), root));
        return keccak256(abi.encodePacked(bytes2(0x1901), domain, message));
    }

    /// r ‖ s ‖ v with v 0/1, as the sequencer signs.
    function _sign(uint256 key, bytes32 root) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = keys.sign(key, _digest(root));
        return abi.encodePacked(r, s, v - 27);
    }

    /// An ack alone in its tree: root = leaf, no proof.
    function _ack(uint64 sequence, bytes32 txHash) internal view returns (IAckSlashing.Ack memory a) {
        bytes32 root = _leaf(sequence, txHash);
        a = IAckSlashing.Ack(sequence, txHash, root, new bytes32[](0), _sign(SEQUENCER_KEY, root));
    }

    /// The ack of leaf `index` in the tree over `leaves` (sorted pairs, an odd last node moves up).
    function _ackInTree(bytes32[] memory leaves, uint256 index, uint64 sequence, bytes32 txHash)
        internal
        view
        returns (IAckSlashing.Ack memory a)
    {
        bytes32[] memory proof = new bytes32[](8);
        uint256 length;
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            if ((index ^ 1) < level.length) proof[length++] = level[index ^ 1];
            bytes32[] memory above = new bytes32[]((level.length + 1) / 2);
            for (uint256 i = 0; i < above.length; i++) {
                above[i] = 2 * i + 1 < level.length ? _pair(level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            level = above;
            index >>= 1;
        }
        assembly {
            mstore(proof, length)
        }
        a = IAckSlashing.Ack(sequence, txHash, level[0], proof, _sign(SEQUENCER_KEY, level[0]));
    }

    function _pair(bytes32 a, bytes32 b) private pure returns (bytes32) {
        return a < b ? keccak256(abi.encodePacked(a, b)) : keccak256(abi.encodePacked(b, a));
    }

    // ---- batches ----

    /// Commits the next batch with transactions (sequence firstSequence + i, hashes[i]) for i where present[i],
    /// over a range of hashes.length sequences: a dishonest batch when some are left out.
    function _commitBatch(bytes32[] memory hashes, bool[] memory present) internal returns (uint64 batchIndex) {
        (bytes32[] memory k, bytes32[] memory v) = _entries(settlement.nextSequence(), hashes, present);
        return _commitRoot(k.length == 0 ? keccak256("a root of no leaf") : Smt.root(k, v), uint64(hashes.length));
    }

    /// Commits the next batch over the next `txCount` sequences with any transaction root.
    function _commitRoot(bytes32 txRoot, uint64 txCount) internal returns (uint64 batchIndex) {
        batchIndex = settlement.nextBatchIndex();
        vm.prank(sequencer);
        settlement.postBatchData(batchIndex, 0, abi.encodePacked("batch ", batchIndex));
        (, bytes32 accumulator) = settlement.pendingBatchData();
        uint64 first = settlement.nextL2Block();
        IRollupSettlement.Commitment memory c = IRollupSettlement.Commitment({
            batchIndex: batchIndex,
            firstBlock: first,
            lastBlock: first,
            batchDataHash: accumulator,
            prevStateRoot: settlement.lastStateRoot(),
            newStateRoot: keccak256(abi.encodePacked("state", batchIndex)),
            marketRootsRoot: bytes32(0),
            withdrawalsRoot: bytes32(0),
            depositCursor: 0,
            firstSequence: settlement.nextSequence(),
            txCount: txCount,
            txRoot: txRoot,
            blocksRoot: keccak256(abi.encodePacked("blocks", batchIndex)),
            claimsRoot: bytes32(0)
        });
        IRollupSettlement.DomainClaim[] memory claims = Claims.accountsOnly(keccak256(abi.encodePacked("claims", batchIndex)));
        c.claimsRoot = Claims.root(claims);
        vm.prank(sequencer);
        settlement.commitBatch(c, claims);
    }

    function _commitAll(bytes32[] memory hashes) internal returns (uint64) {
        bool[] memory present = new bool[](hashes.length);
        for (uint256 i = 0; i < present.length; i++) present[i] = true;
        return _commitBatch(hashes, present);
    }

    function _entries(uint64 first, bytes32[] memory hashes, bool[] memory present)
        internal
        pure
        returns (bytes32[] memory k, bytes32[] memory v)
    {
        uint256 n;
        for (uint256 i = 0; i < hashes.length; i++) if (present[i]) n++;
        k = new bytes32[](n);
        v = new bytes32[](n);
        n = 0;
        for (uint256 i = 0; i < hashes.length; i++) {
            if (present[i]) {
                k[n] = keccak256(abi.encodePacked(first + uint64(i)));
                v[n++] = hashes[i];
            }
        }
    }

    function _finalize() internal {
        vm.roll(block.number + CHALLENGE_WINDOW);
    }

    function _hashes(uint256 n, string memory tag) internal pure returns (bytes32[] memory h) {
        h = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) h[i] = keccak256(abi.encodePacked(tag, i));
    }
}
