// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "./IRollupSettlement.sol";
import {EscapeValuation} from "./EscapeValuation.sol";

/// @notice The escape hatch's payouts once the settlement is frozen (docs/contract.md, "Escape hatch"): an account's
/// state at the escape root, once, and the deposits the escape root never credited. A contract of its own, which the
/// settlement deploys and pays through (payEscape): with the valuation's record parsing and market arithmetic, most of
/// the hatch's code, it would not fit beside the settlement's under EIP-170.
contract EscapeHatch {
    IRollupSettlement public immutable settlement;

    mapping(address account => bool) public escaped;
    mapping(uint64 index => bool) public depositReclaimed;

    constructor() {
        settlement = IRollupSettlement(msg.sender);
    }

    /// @notice Pays the caller what its state at the escape root is worth, once. Prove every market
    /// with value in this one call: the account cannot escape again.
    function escape(
        bytes calldata accountRecord,
        bytes32[] calldata accountSiblings,
        bytes32 marketsRoot,
        IRollupSettlement.MarketProof[] calldata markets
    ) external {
        if (!settlement.frozen()) revert IRollupSettlement.NotFrozen();
        if (escaped[msg.sender]) revert IRollupSettlement.AlreadyEscaped(msg.sender);
        uint256 owed = EscapeValuation.owed(
            msg.sender, settlement.escapeStateRoot(), accountRecord, accountSiblings, marketsRoot, markets
        );
        escaped[msg.sender] = true;
        uint256 paid = settlement.payEscape(msg.sender, owed);
        emit IRollupSettlement.Escaped(msg.sender, owed, paid);
    }

    /// @notice Returns a deposit the last final batch had not consumed (so the escape root never
    /// credited it) to its L2 account's address.
    function reclaimDeposit(uint64 index) external {
        if (!settlement.frozen()) revert IRollupSettlement.NotFrozen();
        // queuedDeposit refuses an unknown index (UnknownDeposit).
        IRollupSettlement.Deposit memory d = settlement.queuedDeposit(index);
        uint64 cursor = settlement.escapeDepositCursor();
        if (index < cursor) revert IRollupSettlement.DepositNotReclaimable(index, cursor);
        if (depositReclaimed[index]) revert IRollupSettlement.DepositAlreadyReclaimed(index);
        depositReclaimed[index] = true;
        uint256 paid = settlement.payEscape(d.l2Account, d.amount);
        emit IRollupSettlement.DepositReclaimed(index, d.l2Account, d.amount, paid);
    }
}
