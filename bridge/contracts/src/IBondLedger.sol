// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Pull payments of bond money (the dispute game's bonds, the ack slashing payouts): what an account is owed,
/// and withdraw() to be paid it.
interface IBondLedger {
    event Withdrawn(address indexed account, uint256 amount);

    error NothingToWithdraw(address account);
    error TransferFailed(address to);

    /// @notice Pays the caller everything it is owed.
    function withdraw() external;

    function credit(address account) external view returns (uint256);
}
