// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {AckFixture} from "./lib/AckFixture.sol";
import {Smt} from "./lib/Smt.sol";
import {IAckSlashing} from "../src/IAckSlashing.sol";

/// A slash at realistic depths for the gas figures of docs/acks.md:
///   forge test --gas-report --isolate --match-contract AckSlashingGas
/// An ack from a full tree of 128 (7 siblings) against a batch of about 100,000 transactions (17 siblings); the
/// siblings are made up and the roots folded from them.
contract AckSlashingGasTest is AckFixture {
    uint256 internal constant ACK_DEPTH = 7;
    uint256 internal constant TX_DEPTH = 17;

    function _deepAck(uint64 sequence, bytes32 txHash) internal view returns (IAckSlashing.Ack memory a) {
        bytes32[] memory proof = new bytes32[](ACK_DEPTH);
        bytes32 node = _leaf(sequence, txHash);
        for (uint256 i = 0; i < ACK_DEPTH; i++) {
            proof[i] = keccak256(abi.encodePacked("ack sibling", i));
            node = node < proof[i] ? keccak256(abi.encodePacked(node, proof[i])) : keccak256(abi.encodePacked(proof[i], node));
        }
        a = IAckSlashing.Ack(sequence, txHash, node, proof, _sign(SEQUENCER_KEY, node));
    }

    function _siblings(string memory tag) internal pure returns (bytes32[] memory s) {
        s = new bytes32[](TX_DEPTH);
        for (uint256 i = 0; i < TX_DEPTH; i++) s[i] = keccak256(abi.encodePacked(tag, i));
    }

    function test_gas_slashEquivocation() public {
        bytes32 posted = keccak256("posted");
        bytes32[] memory siblings = _siblings("tx sibling");
        uint64 batchIndex = _commitRoot(Smt.fold(keccak256(abi.encodePacked(uint64(5))), posted, siblings), 100_000);
        slashing.slashEquivocation(_deepAck(5, keccak256("promised")), batchIndex, posted, siblings, HOLDER);
        assertEq(slashing.credit(HOLDER), 0.75 ether, "slashed");
    }

    function test_gas_slashOmission() public {
        bytes32[] memory siblings = _siblings("tx sibling");
        bytes32 key = keccak256(abi.encodePacked(uint64(5)));
        // The path ends at an empty subtree at depth 17.
        bytes32 node;
        for (uint256 i = TX_DEPTH; i > 0; i--) {
            node = Smt.bitOf(key, i - 1) ? Smt.inner(siblings[i - 1], node) : Smt.inner(node, siblings[i - 1]);
        }
        uint64 batchIndex = _commitRoot(node, 100_000);
        _finalize();
        slashing.slashOmission(_deepAck(5, keccak256("promised")), batchIndex, bytes32(0), bytes32(0), siblings, HOLDER);
        assertEq(slashing.credit(HOLDER), 0.75 ether, "slashed");
    }
}
