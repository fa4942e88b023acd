// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice A signer's replay window (docs/transactions.md, "Nonces"; the engine's ReplayWindow): the highest nonce
/// used, H, and a bitmap whose bit i says nonce H − i was used. A bitmap of zero is "nothing used yet".
library ReplayWindow {
    /// @notice Check and tryConsume results; receipts carry them as TxStatus 2, 3, 4.
    uint8 internal constant NONE = 0;
    uint8 internal constant REPLAYED = 1;
    uint8 internal constant TOO_OLD = 2;
    uint8 internal constant TOO_FAR_AHEAD = 3;

    /// @notice The nonces the window remembers, ending at the highest used.
    uint256 internal constant SIZE = 64;
    /// @notice The furthest a nonce may lie above the highest used (for a fresh signer: the first nonce is below it).
    uint256 internal constant MAX_FORWARD_JUMP = 1 << 32;

    /// @notice Whether `nonce` would be accepted, and if not why. Changes nothing.
    function check(uint64 highest, uint64 used, uint64 nonce) internal pure returns (uint8) {
        if (used == 0) return nonce < MAX_FORWARD_JUMP ? NONE : TOO_FAR_AHEAD;
        if (nonce > highest) return nonce - highest <= MAX_FORWARD_JUMP ? NONE : TOO_FAR_AHEAD;
        uint256 age = highest - nonce;
        if (age >= SIZE) return TOO_OLD;
        return (used >> age) & 1 != 0 ? REPLAYED : NONE;
    }

    /// @notice Uses `nonce` if `check` accepts it, returning the new window; otherwise the window as it was.
    function tryConsume(uint64 highest, uint64 used, uint64 nonce)
        internal
        pure
        returns (uint8 refusal, uint64 newHighest, uint64 newUsed)
    {
        refusal = check(highest, used, nonce);
        if (refusal != NONE) return (refusal, highest, used);
        if (used == 0) return (NONE, nonce, 1);
        if (nonce > highest) {
            uint64 shift = nonce - highest;
            // Bits shifted past 64 are forgotten, as the engine's u64 shift forgets them.
            return (NONE, nonce, shift >= SIZE ? 1 : (used << shift) | 1);
        }
        return (NONE, highest, used | (uint64(1) << (highest - nonce)));
    }

    /// @notice Whether a stored window is one tryConsume can reach (the engine refuses to load any other):
    /// nothing used and H = 0, or H's own bit set and no bit for a nonce below 0.
    function isReachable(uint64 highest, uint64 used) internal pure returns (bool) {
        if (used == 0) return highest == 0;
        return used & 1 == 1 && (highest >= SIZE - 1 || used >> (highest + 1) == 0);
    }
}
