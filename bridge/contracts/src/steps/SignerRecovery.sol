// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Who signed a digest, as the engine decides it (Rollup.Primitives Secp256k1.TryRecoverAddress): v is
/// 0, 1, 27 or 28; r and s are non-zero and below the curve order n; s is at most n/2 (EIP-2). Anything else,
/// and a signature no key recovers from, is refused: the zero address.
library SignerRecovery {
    /// secp256k1's group order n, and n/2 rounded down.
    uint256 internal constant CURVE_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 internal constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice The signer of `digest`, or the zero address when the signature is refused.
    function tryRecover(bytes32 digest, bytes32 r, bytes32 s, uint8 v) internal pure returns (address) {
        if (v < 27) v += 27; // 0/1 as the engine signs, 27/28 as wallets do
        if (v != 27 && v != 28) return address(0);
        if (r == 0 || uint256(r) >= CURVE_ORDER || s == 0 || uint256(s) > HALF_CURVE_ORDER) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
