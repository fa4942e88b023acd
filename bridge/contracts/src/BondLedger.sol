// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IBondLedger} from "./IBondLedger.sol";

/// @notice Bond money: what each account is owed (from a resolved game, a slashed ack), paid out when it asks (pull),
/// and the burnt share sent at once to a burn address. Pull, so that a winner that cannot receive ether (a contract
/// that reverts) holds up only its own payout, never the resolution that credited it.
abstract contract BondLedger is IBondLedger {
    /// Where the burnt share of a loser's bond goes: an address without code, so the send cannot fail or re-enter.
    address public constant BURN_ADDRESS = address(0xdead);

    mapping(address account => uint256 owed) public credit;

    /// @notice Pays the caller everything it is owed.
    function withdraw() external {
        uint256 amount = credit[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        credit[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    function _credit(address account, uint256 amount) internal {
        if (amount > 0) credit[account] += amount;
    }

    /// Called last by whoever calls it: checks and effects are done before the ether leaves.
    function _burn(uint256 amount) internal {
        if (amount > 0) _send(BURN_ADDRESS, amount);
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to);
    }
}
