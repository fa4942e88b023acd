// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Writes fixed-width big-endian fields into a memory record allocated at its full length.
library BytesWriter {
    /// The low `size` bytes of `value` at `position` of `out` (position + size ≤ out.length).
    function put(bytes memory out, uint256 position, uint256 value, uint256 size) internal pure {
        assembly {
            let ptr := add(add(out, 32), position)
            let bits := mul(size, 8)
            // Keep the word's bytes after the field; those past the record are written back unchanged.
            let keep := shr(bits, not(0))
            let field := shl(sub(256, bits), and(value, sub(shl(bits, 1), 1)))
            mstore(ptr, or(and(mload(ptr), keep), field))
        }
    }

    /// `data` copied to `position` of `out`.
    function copy(bytes memory out, uint256 position, bytes memory data) internal pure {
        for (uint256 i = 0; i < data.length; i++) {
            out[position + i] = data[i];
        }
    }
}
