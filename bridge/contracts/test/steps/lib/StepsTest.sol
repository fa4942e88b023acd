// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {Test} from "../../lib/Test.sol";
import {TxFixtures} from "./TxFixtures.sol";

/// @notice The cheatcodes the step tests need beyond test/lib/Test.sol's.
interface StepsVm {
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 selector) external;
}

/// @notice Test.sol's assertions, the extra cheatcodes, and a log forge prints with -vv.
abstract contract StepsTest is Test {
    StepsVm internal constant svm = StepsVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    event log_named_uint(string key, uint256 val);

    /// Signs `t` in the domain `separator` with `privateKey`; v as 0/1 (the engine's form) or 27/28 (wallets').
    function signTx(TxFixtures.Tx memory t, uint256 privateKey, bytes32 separator, bool zeroOneV) internal pure {
        (uint8 v, bytes32 r, bytes32 s) = svm.sign(privateKey, TxFixtures.digest(separator, t));
        t.sig = abi.encodePacked(r, s, zeroOneV ? v - 27 : v);
    }

    function assertEqBytes(bytes memory actual, bytes memory expected, string memory what) internal pure {
        if (keccak256(actual) != keccak256(expected)) {
            revert(string.concat(what, ": bytes differ"));
        }
    }
}
