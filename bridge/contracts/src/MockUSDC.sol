// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {ERC20} from "./ERC20.sol";

/// @notice The devnet's collateral token: 6 decimals like USDC.
/// DEVNET ONLY: anyone may mint any amount to anyone. Never deploy it where the token must have value.
contract MockUSDC is ERC20 {
    constructor() ERC20("Mock USD Coin", "USDC", 6) {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
