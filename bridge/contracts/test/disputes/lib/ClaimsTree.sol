// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Smt} from "../../lib/Smt.sol";

/// @notice A test batch's claimsRoot built top-down by Smt from its claims (docs/steps.md, "Claims"), and the
/// siblings of one claim's leaf: independent of the provers' bottom-up fold.
library ClaimsTree {
    struct Claim {
        uint8 kind;
        uint32 market;
        bytes32 start;
        bytes32 end;
        uint64 steps;
    }

    function key(uint8 kind, uint32 market) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(kind, market));
    }

    function root(Claim[] memory claims) internal pure returns (bytes32) {
        (bytes32[] memory keys, bytes32[] memory values) = _leaves(claims);
        return Smt.root(keys, values);
    }

    function siblings(Claim[] memory claims, uint8 kind, uint32 market) internal pure returns (bytes32[] memory) {
        (bytes32[] memory keys, bytes32[] memory values) = _leaves(claims);
        return Smt.proof(keys, values, key(kind, market));
    }

    function _leaves(Claim[] memory claims) private pure returns (bytes32[] memory keys, bytes32[] memory values) {
        keys = new bytes32[](claims.length);
        values = new bytes32[](claims.length);
        for (uint256 i = 0; i < claims.length; i++) {
            Claim memory c = claims[i];
            keys[i] = key(c.kind, c.market);
            values[i] = keccak256(abi.encodePacked(c.start, c.end, c.steps));
        }
    }
}
