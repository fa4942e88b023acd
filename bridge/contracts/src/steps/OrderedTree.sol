// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Ordered sparse Merkle tree: a sparse Merkle tree over raw keys whose nodes carry the number and total size
/// of the leaves below them, so that the first leaf, and the count and size of the leaves before a key, are
/// each one path.
/// @dev Keys. 256-bit values used as they are, not hashed, so the leaves from left to right are in ascending key
/// order (keys compared as big-endian numbers). Callers build them as priority keys, e.g. u64 price ‖ u64
/// orderId ‖ zeros.
///
/// Paths. As in docs/state.md: bit i of a key (most significant bit of byte 0 first) picks the left (0) or right
/// (1) child at depth i, and a subtree holding exactly one leaf is that leaf, so a leaf sits at the shallowest
/// depth where no other key shares its path. Leaves whose keys share many bits hang below a chain of inner nodes
/// whose other child is empty.
///
/// Nodes. Every subtree is a node (hash, count, size): count (u32) is the number of leaves below it, size (u64)
/// the sum of their sizes; integers are hashed big-endian at fixed width.
/// - empty: (32 zero bytes, 0, 0);
/// - the leaf of key k with value hash v and size s: (keccak256(0x00 ‖ k ‖ v ‖ u64 s), 1, s);
/// - an inner node with children L and R: (keccak256(0x01 ‖ L.hash ‖ R.hash ‖ u32 count ‖ u64 size), count,
///   size), where count = L.count + R.count and size = L.size + R.size.
/// The root node commits to the tree: its hash binds its count and size. A write after which the tree's count
/// would exceed 2^32−1 or its size 2^64−1 is refused. A value hash may be any 32 bytes, zero included: whether a
/// key is present is told by its proof's ending.
///
/// Proofs. A proof for key k holds: siblings 0 to d−1, sibling i being the (hash, count, size) of the child of
/// the path's node at depth i that is off k's path; what ends the path at depth d: nothing (an empty subtree) or
/// a leaf (key, value hash, size), either k's own (k is present) or another key's that shares k's first d bits
/// (k is absent); and, when sibling d−1 is a lone leaf (count 1), that leaf's key and value hash (its size is
/// the sibling's), zero otherwise. A proof is malformed, and refused, when d exceeds 256; when another key's
/// leaf ends it without sharing k's first d bits; when d is positive and sibling d−1 is empty under a leaf
/// ending, or holds fewer than two leaves under an empty ending (no tree has either); and when a sum overflows
/// its width.
///
/// Root. Start from what ends the path (empty, or the leaf's node); for i from d−1 down to 0 the node becomes
/// inner(node, sibling i) if bit i of k is 0, else inner(sibling i, node). The proof holds when the result's
/// hash is the root's.
///
/// Write k with value hash v and size s (an insert or an update): the same fold from another start. Where the
/// path ends in k's leaf or in nothing, the start is k's new leaf. Where it ends in another key's leaf j, the
/// start is an inner node at the first bit b where k and j differ, holding both leaves on the sides their bits b
/// give, wrapped, for each depth from b−1 down to d, in an inner node with the node so far on k's side and an
/// empty node on the other.
///
/// Delete k, from its inclusion proof: with d = 0 the tree becomes empty. If sibling d−1 holds two or more
/// leaves, k's place becomes empty and the fold runs as above. If it is a lone leaf (the proof's key and value
/// hash for it, with its size, must hash to it), that leaf moves up: it becomes the path's node at the smallest
/// depth e such that siblings e to d−2 are all empty, and the fold goes on from sibling e−1 down to 0.
///
/// Order. The prefix of k is the count and size of the leaves whose keys are less than k: the sum of the
/// siblings i where bit i of k is 1 (they lie left of the path), plus the leaf that ends the path if its key is
/// less than k. k is leftmost when no leaf's key is less than k (the prefix count is 0), and rightmost when no
/// leaf's key is greater (every sibling i where bit i of k is 0 is empty, and a leaf that ends the path has a
/// key not greater than k). These read the proof only: check it against the root first.
///
/// This library is the twin of the C# OrderedMerkleTree and OrderedMerkleProof (execution/Rollup.Execution/State/
/// Ordered/); their rules and refusals have the same names. Counts and sizes travel as one word, count << 128 | size,
/// so a sum of two is one addition whose halves cannot carry into each other.
library OrderedTree {
    /// @notice A subtree: its hash, the number of leaves below it and the sum of their sizes.
    struct Node {
        bytes32 hash;
        uint32 count;
        uint64 size;
    }

    /// @notice A path from the root to where `key`'s path ends (see the rules above).
    struct Proof {
        Node[] siblings; // from the root down
        bool endsInLeaf; // false: the path ends in nothing, and the leaf's fields are ignored
        bytes32 leafKey;
        bytes32 leafValueHash;
        uint64 leafSize;
        bytes32 deepestSiblingKey; // when the last sibling is a lone leaf: its key and value hash, which a delete needs
        bytes32 deepestSiblingValueHash;
    }

    error ProofTooDeep(uint256 depth);
    error LeafOffPath(bytes32 key, bytes32 leafKey);
    error NonCanonicalEnd(bytes32 key, uint256 depth);
    error DeepestSiblingLeafMismatch(bytes32 key);
    error NotAnInclusionProof(bytes32 key);
    error CountOverflow();
    error SizeOverflow();

    uint256 internal constant MAX_DEPTH = 256;

    uint256 private constant ONE_LEAF = 1 << 128;
    uint256 private constant SIZE_MASK = type(uint128).max;

    /// @notice The root `p` leads to, with `key` as the proof has it (present or absent).
    function rootOf(Proof calldata p, bytes32 key) internal pure returns (bytes32 hash, uint256 count, uint256 size) {
        (bytes32 h, uint256 a) = _end(p, key);
        (h, a) = _fold(p.siblings, key, p.siblings.length, 0, h, a);
        return (h, a >> 128, a & SIZE_MASK);
    }

    /// @notice Whether `root` holds `key` with `valueHash` and `size`.
    function verifyPresent(bytes32 root, Proof calldata p, bytes32 key, bytes32 valueHash, uint64 size)
        internal
        pure
        returns (bool)
    {
        if (!p.endsInLeaf || p.leafKey != key || p.leafValueHash != valueHash || p.leafSize != size) return false;
        (bytes32 h,,) = rootOf(p, key);
        return h == root;
    }

    /// @notice Whether `root` does not hold `key`.
    function verifyAbsent(bytes32 root, Proof calldata p, bytes32 key) internal pure returns (bool) {
        if (p.endsInLeaf && p.leafKey == key) return false;
        (bytes32 h,,) = rootOf(p, key);
        return h == root;
    }

    /// @notice The root before (as `p` has `key`) and the root after `key` is set to `valueHash` and `size`, inserted
    /// or updated, from the one proof. The caller checks `before` against the root it holds.
    function rootsOfWrite(Proof calldata p, bytes32 key, bytes32 valueHash, uint64 size)
        internal
        pure
        returns (bytes32 before, bytes32 afterHash, uint256 afterCount, uint256 afterSize)
    {
        (bytes32 bh, uint256 ba) = _end(p, key);
        (bytes32 wh, uint256 wa) = _written(p, key, valueHash, size, bh, ba);
        uint256 depth = p.siblings.length;
        (before,) = _fold(p.siblings, key, depth, 0, bh, ba);
        (afterHash, wa) = _fold(p.siblings, key, depth, 0, wh, wa);
        return (before, afterHash, wa >> 128, wa & SIZE_MASK);
    }

    /// @notice The root before and the root after `key` is deleted, from its inclusion proof. The caller checks
    /// `before` against the root it holds.
    function rootsOfDelete(Proof calldata p, bytes32 key)
        internal
        pure
        returns (bytes32 before, bytes32 afterHash, uint256 afterCount, uint256 afterSize)
    {
        if (!p.endsInLeaf || p.leafKey != key) revert NotAnInclusionProof(key);
        (bytes32 bh, uint256 ba) = _end(p, key);
        uint256 depth = p.siblings.length;
        if (depth == 0) return (bh, bytes32(0), 0, 0);
        (bytes32 ah, uint256 aa, uint256 top) = _afterDelete(p, key);
        (before,) = _fold(p.siblings, key, depth, 0, bh, ba);
        (afterHash, aa) = _fold(p.siblings, key, top, 0, ah, aa);
        return (before, afterHash, aa >> 128, aa & SIZE_MASK);
    }

    /// @notice The count and total size of the leaves whose keys are less than `key`. Reads the proof only.
    function prefixCountAndSize(Proof calldata p, bytes32 key) internal pure returns (uint256 count, uint256 size) {
        Node[] calldata siblings = p.siblings;
        uint256 depth = siblings.length;
        if (depth > MAX_DEPTH) revert ProofTooDeep(depth);
        uint256 a;
        for (uint256 i = 0; i < depth;) {
            if (_bit(key, i) == 1) {
                (, uint256 sa) = _sibling(siblings, i);
                a += sa;
            }
            unchecked {
                ++i;
            }
        }
        if (p.endsInLeaf && p.leafKey < key) a += ONE_LEAF | p.leafSize;
        count = a >> 128;
        size = a & SIZE_MASK;
        if (count > type(uint32).max) revert CountOverflow();
        if (size > type(uint64).max) revert SizeOverflow();
    }

    /// @notice Whether no leaf's key is less than `key`. Reads the proof only.
    function isLeftmost(Proof calldata p, bytes32 key) internal pure returns (bool) {
        return _outermost(p.siblings, key, 1) && !(p.endsInLeaf && p.leafKey < key);
    }

    /// @notice Whether no leaf's key is greater than `key`. Reads the proof only.
    function isRightmost(Proof calldata p, bytes32 key) internal pure returns (bool) {
        return _outermost(p.siblings, key, 0) && !(p.endsInLeaf && p.leafKey > key);
    }

    /// Every sibling at a depth where `key`'s bit is `side` (the siblings on the other side of the path) is empty.
    function _outermost(Node[] calldata siblings, bytes32 key, uint256 side) private pure returns (bool) {
        uint256 depth = siblings.length;
        if (depth > MAX_DEPTH) revert ProofTooDeep(depth);
        for (uint256 i = 0; i < depth;) {
            if (_bit(key, i) == side && siblings[i].count != 0) return false;
            unchecked {
                ++i;
            }
        }
        return true;
    }

    /// What ends the path, once the proof's shape is checked.
    function _end(Proof calldata p, bytes32 key) private pure returns (bytes32, uint256) {
        uint256 depth = p.siblings.length;
        if (depth > MAX_DEPTH) revert ProofTooDeep(depth);
        if (p.endsInLeaf) {
            bytes32 leafKey = p.leafKey;
            if (leafKey != key && !_sharePrefix(leafKey, key, depth)) revert LeafOffPath(key, leafKey);
            if (depth > 0 && p.siblings[depth - 1].count == 0) revert NonCanonicalEnd(key, depth);
            uint256 size = p.leafSize;
            return (_leafHash(leafKey, p.leafValueHash, size), ONE_LEAF | size);
        }
        if (depth > 0 && p.siblings[depth - 1].count < 2) revert NonCanonicalEnd(key, depth);
        return (bytes32(0), 0);
    }

    /// The path's node at depth `top` once `key` is deleted, the depth above which the fold goes on as before. A lone
    /// leaf beside the key moves up past every empty sibling above it; otherwise the key's place empties.
    function _afterDelete(Proof calldata p, bytes32 key) private pure returns (bytes32 h, uint256 a, uint256 top) {
        Node[] calldata siblings = p.siblings;
        top = siblings.length;
        (h, a) = _sibling(siblings, top - 1);
        if (a >> 128 != 1) return (bytes32(0), 0, top);
        if (_leafHash(p.deepestSiblingKey, p.deepestSiblingValueHash, a & SIZE_MASK) != h) {
            revert DeepestSiblingLeafMismatch(key);
        }
        unchecked {
            --top;
            while (top > 0 && siblings[top - 1].count == 0) --top;
        }
    }

    /// The path's node where it ends once `key` is written: its new leaf, or, where the path ends in another key's
    /// leaf (oh, oa), both leaves below an inner node at the first bit where the keys differ, wrapped with an empty
    /// sibling for each depth above that down to the path's end.
    function _written(Proof calldata p, bytes32 key, bytes32 valueHash, uint256 size, bytes32 oh, uint256 oa)
        private
        pure
        returns (bytes32 h, uint256 a)
    {
        h = _leafHash(key, valueHash, size);
        a = ONE_LEAF | size;
        if (!p.endsInLeaf || p.leafKey == key) return (h, a);
        uint256 depth = p.siblings.length;
        uint256 split = _firstDifferingBit(key, p.leafKey);
        (h, a) = _bit(key, split) == 0 ? _join(h, a, oh, oa) : _join(oh, oa, h, a);
        for (uint256 i = split; i > depth;) {
            unchecked {
                --i;
            }
            h = _bit(key, i) == 0 ? _innerHash(h, bytes32(0), a) : _innerHash(bytes32(0), h, a);
        }
    }

    /// Folds (h, a), the path's node at depth `from`, up to the path's node at depth `to` with siblings from − 1 to `to`.
    /// One Yul loop: the same steps as _sibling and _join, without an internal call and its stack shuffling per level,
    /// which cost more than the hash itself.
    function _fold(Node[] calldata siblings, bytes32 key, uint256 from, uint256 to, bytes32 h, uint256 a)
        private
        pure
        returns (bytes32, uint256)
    {
        bytes4 countOverflow = CountOverflow.selector;
        bytes4 sizeOverflow = SizeOverflow.selector;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x01)
            for { let i := from } gt(i, to) {} {
                i := sub(i, 1)
                let at := add(siblings.offset, mul(i, 96))
                let count := calldataload(add(at, 32))
                let size := calldataload(add(at, 64))
                if or(gt(count, 0xffffffff), gt(size, 0xffffffffffffffff)) { revert(0, 0) }
                a := add(a, or(shl(128, count), size))
                count := shr(128, a)
                size := and(a, 0xffffffffffffffffffffffffffffffff)
                if gt(count, 0xffffffff) {
                    mstore(0, countOverflow)
                    revert(0, 4)
                }
                if gt(size, 0xffffffffffffffff) {
                    mstore(0, sizeOverflow)
                    revert(0, 4)
                }
                switch and(shr(sub(255, i), key), 1)
                case 0 {
                    mstore(add(m, 1), h)
                    mstore(add(m, 33), calldataload(at))
                }
                default {
                    mstore(add(m, 1), calldataload(at))
                    mstore(add(m, 33), h)
                }
                mstore(add(m, 65), or(shl(224, count), shl(160, size)))
                h := keccak256(m, 77)
            }
        }
        return (h, a);
    }

    /// Sibling `i` (< siblings.length) as (hash, count << 128 | size). Read with calldataload, which skips the per-
    /// member checks of `siblings[i].count` (the ABI decoder checked that the array lies in calldata); a count or size
    /// wider than its type is refused as the decoder would, with empty revert data.
    function _sibling(Node[] calldata siblings, uint256 i) private pure returns (bytes32 h, uint256 a) {
        assembly ("memory-safe") {
            let at := add(siblings.offset, mul(i, 96))
            h := calldataload(at)
            let count := calldataload(add(at, 32))
            let size := calldataload(add(at, 64))
            if or(gt(count, 0xffffffff), gt(size, 0xffffffffffffffff)) { revert(0, 0) }
            a := or(shl(128, count), size)
        }
    }

    /// The inner node over (lh, la) and (rh, ra); each aggregate is count << 128 | size with count < 2^32 and
    /// size < 2^64, so their sum carries nothing across halves.
    function _join(bytes32 lh, uint256 la, bytes32 rh, uint256 ra) private pure returns (bytes32, uint256) {
        uint256 a;
        unchecked {
            a = la + ra;
        }
        if (a >> 128 > type(uint32).max) revert CountOverflow();
        if (a & SIZE_MASK > type(uint64).max) revert SizeOverflow();
        return (_innerHash(lh, rh, a), a);
    }

    /// Bit `depth` of `key`, counting from the most significant bit of byte 0; `depth` < 256.
    function _bit(bytes32 key, uint256 depth) private pure returns (uint256) {
        unchecked {
            return (uint256(key) >> (255 - depth)) & 1;
        }
    }

    /// Whether the first `depth` bits of `a` and `b` are equal (`depth` ≤ 256).
    function _sharePrefix(bytes32 a, bytes32 b, uint256 depth) private pure returns (bool) {
        if (depth == 0) return true;
        unchecked {
            return (uint256(a) ^ uint256(b)) >> (256 - depth) == 0;
        }
    }

    /// The depth of the first bit where `a` and `b` differ (they must): 255 − floor(log2(a xor b)).
    function _firstDifferingBit(bytes32 a, bytes32 b) private pure returns (uint256 depth) {
        uint256 x = uint256(a) ^ uint256(b);
        for (uint256 step = 128; step > 0; step >>= 1) {
            if (x >> (256 - step) == 0) {
                depth += step;
                x <<= step;
            }
        }
    }

    /// keccak256(0x00 ‖ key ‖ valueHash ‖ u64 size) in the free memory past the free-memory pointer, which stays where
    /// it is: nothing is allocated per hash.
    function _leafHash(bytes32 key, bytes32 valueHash, uint256 size) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x00)
            mstore(add(m, 1), key)
            mstore(add(m, 33), valueHash)
            mstore(add(m, 65), shl(192, size))
            h := keccak256(m, 73)
        }
    }

    /// keccak256(0x01 ‖ left ‖ right ‖ u32 count ‖ u64 size) for the aggregate `a` = count << 128 | size, likewise.
    function _innerHash(bytes32 left, bytes32 right, uint256 a) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x01)
            mstore(add(m, 1), left)
            mstore(add(m, 33), right)
            mstore(add(m, 65), or(shl(224, shr(128, a)), shl(160, and(a, 0xffffffffffffffff))))
            h := keccak256(m, 77)
        }
    }
}
