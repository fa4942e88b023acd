// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {Smt} from "./Smt.sol";

/// @notice Claims lists for commitments in tests, with their roots built by the test-only Smt (not the contract's
/// src/ClaimsTree.sol), so a commitment's claims and its root agree by an independent construction.
library Claims {
    function key(uint8 kind, uint32 market) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(kind, market));
    }

    function value(IRollupSettlement.DomainClaim memory c) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(c.start, c.end, c.steps));
    }

    /// The accounts domain's claim alone, its states named after `seed`.
    function accountsOnly(bytes32 seed) internal pure returns (IRollupSettlement.DomainClaim[] memory claims) {
        claims = new IRollupSettlement.DomainClaim[](1);
        claims[0] = IRollupSettlement.DomainClaim(0, 0, keccak256(abi.encode(seed, "start")), keccak256(abi.encode(seed, "end")), 1);
    }

    function root(IRollupSettlement.DomainClaim[] memory claims) internal pure returns (bytes32) {
        (bytes32[] memory keys, bytes32[] memory values) = _leaves(claims);
        return Smt.root(keys, values);
    }

    function proof(IRollupSettlement.DomainClaim[] memory claims, uint8 kind, uint32 market) internal pure returns (bytes32[] memory) {
        (bytes32[] memory keys, bytes32[] memory values) = _leaves(claims);
        return Smt.proof(keys, values, key(kind, market));
    }

    /// A copy of the claims in ascending key order, as commitBatch takes them (insertion sort: lists in tests are short).
    function sorted(IRollupSettlement.DomainClaim[] memory list) internal pure returns (IRollupSettlement.DomainClaim[] memory claims) {
        claims = new IRollupSettlement.DomainClaim[](list.length);
        for (uint256 i = 0; i < list.length; i++) {
            claims[i] = list[i];
        }
        for (uint256 i = 1; i < claims.length; i++) {
            for (uint256 j = i; j > 0 && key(claims[j].kind, claims[j].market) < key(claims[j - 1].kind, claims[j - 1].market); j--) {
                (claims[j], claims[j - 1]) = (claims[j - 1], claims[j]);
            }
        }
    }

    function _leaves(IRollupSettlement.DomainClaim[] memory claims) private pure returns (bytes32[] memory keys, bytes32[] memory values) {
        keys = new bytes32[](claims.length);
        values = new bytes32[](claims.length);
        for (uint256 i = 0; i < claims.length; i++) {
            keys[i] = key(claims[i].kind, claims[i].market);
            values[i] = value(claims[i]);
        }
    }
}
