// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IERC20} from "./IERC20.sol";

/// @notice Token transfers that fail loudly: a token may revert, return false, or (like USDT) return
/// nothing on success. A token's own revert reason is passed on unchanged.
library SafeTransfer {
    error TokenTransferFailed(address token);

    function safeTransfer(IERC20 token, address to, uint256 value) internal {
        _call(token, abi.encodeCall(IERC20.transfer, (to, value)));
    }

    function safeTransferFrom(IERC20 token, address from, address to, uint256 value) internal {
        _call(token, abi.encodeCall(IERC20.transferFrom, (from, to, value)));
    }

    function _call(IERC20 token, bytes memory data) private {
        (bool ok, bytes memory result) = address(token).call(data);
        if (!ok) {
            if (result.length > 0) {
                assembly ("memory-safe") {
                    revert(add(result, 32), mload(result))
                }
            }
            revert TokenTransferFailed(address(token));
        }
        // No return data is success only from a contract; a call to an empty address also "succeeds".
        bool succeeded = result.length == 0 ? address(token).code.length > 0 : result.length >= 32 && abi.decode(result, (bool));
        if (!succeeded) revert TokenTransferFailed(address(token));
    }
}
