// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "./IRollupSettlement.sol";
import {EscapeValuation} from "./EscapeValuation.sol";

/// @notice EscapeValuation as a contract of its own, which the settlement deploys and calls: the valuation's record
/// parsing and market arithmetic are most of the escape hatch's code, and the settlement is near EIP-170's limit.
contract EscapeValuer {
    function owed(
        address account,
        bytes32 stateRoot,
        bytes calldata accountRecord,
        bytes32[] calldata accountSiblings,
        bytes32 marketsRoot,
        IRollupSettlement.MarketProof[] calldata markets
    ) external pure returns (uint256) {
        return EscapeValuation.owed(account, stateRoot, accountRecord, accountSiblings, marketsRoot, markets);
    }
}
