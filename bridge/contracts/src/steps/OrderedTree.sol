// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Ordered Merkle tree: a path-compressed binary trie over raw keys whose nodes carry the number and total size
/// of the leaves below them, so that the first leaf, and the count and size of the leaves before a key, are each one
/// path of about log2(n) nodes.
/// @dev Keys. 256-bit values used as they are, not hashed, so the leaves from left to right are in ascending key
/// order (keys compared as big-endian numbers). Callers build them as priority keys, e.g. u64 price ‖ u64 orderId ‖
/// zeros. Bit i of a key is counted from the most significant bit of byte 0.
///
/// Shape. The tree over a set of keys is unique: the empty set is the empty tree, one key is its leaf, and more keys
/// hang below an inner node at the first bit b where they do not all agree, the keys with bit b = 0 in its left
/// subtree and those with 1 in its right. An inner node's bit is less than its inner children's, and no inner node has
/// an empty child.
///
/// Nodes. Every subtree is a node (hash, count, size): count (u32) is the number of leaves below it, size (u64) the
/// sum of their sizes; integers are hashed big-endian at fixed width.
/// - empty: (32 zero bytes, 0, 0);
/// - the leaf of key k with value hash v and size s: (keccak256(0x00 ‖ k ‖ v ‖ u64 s), 1, s);
/// - an inner node at bit b with children L and R: (keccak256(0x01 ‖ u8 b ‖ L.hash ‖ R.hash ‖ u32 count ‖ u64 size),
///   count, size), where count = L.count + R.count and size = L.size + R.size.
/// The root node commits to the tree: its hash binds its count and size. A write after which the tree's count would
/// exceed 2^32−1 or its size 2^64−1 is refused.
///
/// Proofs. The path of key k goes from the root to the child that k's bit at each inner node's bit names, until it
/// reaches a leaf: k's own (k is present) or the leaf where k would branch off (k is absent). A proof holds steps 0 to
/// d−1 (step i: the bit b_i of the path's inner node at depth i, and its child off the path) and the leaf that ends
/// the path, which only the empty tree's proof (d = 0) lacks. Refused as malformed: d > 256; a step's bit not greater
/// than the one above; an empty sibling; steps without a leaf; a leaf whose key differs from k at some step's bit;
/// a sum past its width.
///
/// Root. Start from the leaf's node (empty if none); for i from d−1 down to 0 the node becomes inner(b_i, node,
/// sibling i) if bit b_i of k is 0, else inner(b_i, sibling i, node).
///
/// Write. In the empty tree the root becomes k's leaf; on k's own leaf (an update) the fold runs from the new leaf;
/// on another key's leaf j (an insert), with c the first bit where k and j differ, the fold runs from j's leaf and,
/// just before the first step from the bottom whose bit is less than c (or at the top), joins k's new leaf under
/// inner(c, ·, ·). Delete, from k's inclusion proof: the tree empties at d = 0; otherwise sibling d−1 takes k's
/// parent's place and the fold runs from it through steps d−2 to 0.
///
/// Order. With c the first bit where k and the path's leaf differ (none if the leaf is k's), a sibling at a step
/// whose bit is less than c lies left of k when k's bit there is 1, right when 0; a sibling at a step whose bit is
/// greater than c lies on the side of k the leaf lies on. The prefix of k is the count and size of what lies left,
/// the leaf included if its key is less than k; k is leftmost when nothing lies left, rightmost when nothing lies
/// right. These read the proof only: check it against the root first.
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

    /// @notice One inner node on a key's path: the bit it splits on and its child off the path.
    struct Step {
        uint8 bit;
        bytes32 hash;
        uint32 count;
        uint64 size;
    }

    /// @notice A path from the root to the leaf where `key`'s path ends (see the rules above).
    struct Proof {
        Step[] steps; // from the root down
        bool endsInLeaf; // false only in the empty tree's proof; the leaf's fields are then ignored
        bytes32 leafKey;
        bytes32 leafValueHash;
        uint64 leafSize;
    }

    error ProofTooDeep(uint256 depth);
    error BitsOutOfOrder(bytes32 key, uint256 depth);
    error EmptySibling(bytes32 key, uint256 depth);
    error MissingLeaf(bytes32 key);
    error LeafOffPath(bytes32 key, bytes32 leafKey);
    error NotAnInclusionProof(bytes32 key);
    error CountOverflow();
    error SizeOverflow();

    uint256 internal constant MAX_DEPTH = 256;

    uint256 private constant ONE_LEAF = 1 << 128;
    uint256 private constant SIZE_MASK = type(uint128).max;
    uint256 private constant STEP_WORDS = 128;
    uint256 private constant NO_SPLIT = 256;

    /// @notice The root `p` leads to, with `key` as the proof has it (present or absent).
    function rootOf(Proof calldata p, bytes32 key) internal pure returns (bytes32 hash, uint256 count, uint256 size) {
        (bytes32 h, uint256 a) = _end(p, key);
        (h, a) = _fold(p.steps, key, p.steps.length, 0, h, a);
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
        (bytes32 h, uint256 a) = _end(p, key);
        if (!p.endsInLeaf) return (bytes32(0), _leafHash(key, valueHash, size), 1, size);
        (before, afterHash, a) = p.leafKey == key ? _update(p, key, h, a, valueHash, size) : _insert(p, key, h, a, valueHash, size);
        return (before, afterHash, a >> 128, a & SIZE_MASK);
    }

    /// The roots before and after `key`'s own leaf, (h, a), takes a new value hash and size.
    function _update(Proof calldata p, bytes32 key, bytes32 h, uint256 a, bytes32 valueHash, uint256 size)
        private
        pure
        returns (bytes32 before, bytes32 afterHash, uint256 afterAggregate)
    {
        uint256 depth = p.steps.length;
        (before,) = _fold(p.steps, key, depth, 0, h, a);
        (afterHash, afterAggregate) = _fold(p.steps, key, depth, 0, _leafHash(key, valueHash, size), ONE_LEAF | size);
    }

    /// The roots before and after an absent `key` joins the path, from the leaf that ends it (h, a): the new leaf
    /// joins the path's node below the steps whose bits are less than the first bit where the two keys differ.
    function _insert(Proof calldata p, bytes32 key, bytes32 h, uint256 a, bytes32 valueHash, uint256 size)
        private
        pure
        returns (bytes32 before, bytes32 afterHash, uint256 afterAggregate)
    {
        uint256 joinAt;
        {
            uint256 split;
            (split, joinAt) = _joinsAt(p, key);
            (h, a) = _fold(p.steps, key, p.steps.length, joinAt, h, a);
            (before,) = _fold(p.steps, key, joinAt, 0, h, a);
            (h, a) = _withLeaf(split, key, valueHash, size, h, a);
        }
        (afterHash, afterAggregate) = _fold(p.steps, key, joinAt, 0, h, a);
    }

    /// The first bit where an absent `key` and the path's leaf differ, and how many steps split on lower bits.
    function _joinsAt(Proof calldata p, bytes32 key) private pure returns (uint256 split, uint256 joinAt) {
        Step[] calldata steps = p.steps;
        uint256 depth = steps.length;
        split = _firstDifferingBit(key, p.leafKey);
        while (joinAt < depth && steps[joinAt].bit < split) {
            unchecked {
                ++joinAt;
            }
        }
    }

    /// The inner node at `split` over `key`'s new leaf and the subtree (h, a), each on the side its bit there gives.
    function _withLeaf(uint256 split, bytes32 key, bytes32 valueHash, uint256 size, bytes32 h, uint256 a)
        private
        pure
        returns (bytes32, uint256)
    {
        bytes32 leaf = _leafHash(key, valueHash, size);
        return _bit(key, split) == 0 ? _join(split, leaf, ONE_LEAF | size, h, a) : _join(split, h, a, leaf, ONE_LEAF | size);
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
        Step[] calldata steps = p.steps;
        uint256 depth = steps.length;
        if (depth == 0) return (bh, bytes32(0), 0, 0);
        (before,) = _fold(steps, key, depth, 0, bh, ba);
        (bytes32 ah, uint256 aa) = _sibling(steps, depth - 1);
        (afterHash, aa) = _fold(steps, key, depth - 1, 0, ah, aa);
        return (before, afterHash, aa >> 128, aa & SIZE_MASK);
    }

    /// @notice The count and total size of the leaves whose keys are less than `key`. Reads the proof only.
    function prefixCountAndSize(Proof calldata p, bytes32 key) internal pure returns (uint256 count, uint256 size) {
        (uint256 below,) = _around(p, key);
        return (below >> 128, below & SIZE_MASK);
    }

    /// @notice Whether no leaf's key is less than `key`. Reads the proof only.
    function isLeftmost(Proof calldata p, bytes32 key) internal pure returns (bool) {
        (uint256 below,) = _around(p, key);
        return below >> 128 == 0;
    }

    /// @notice Whether no leaf's key is greater than `key`. Reads the proof only.
    function isRightmost(Proof calldata p, bytes32 key) internal pure returns (bool) {
        (, uint256 above) = _around(p, key);
        return above >> 128 == 0;
    }

    /// The aggregates (count << 128 | size) of the leaves below and above `key`, once the proof's shape is checked.
    function _around(Proof calldata p, bytes32 key) private pure returns (uint256 below, uint256 above) {
        _end(p, key);
        if (!p.endsInLeaf) return (0, 0);
        Step[] calldata steps = p.steps;
        bytes32 leafKey = p.leafKey;
        uint256 split = leafKey == key ? NO_SPLIT : _firstDifferingBit(key, leafKey);
        bool leafBelow = leafKey < key;
        uint256 depth = steps.length;
        for (uint256 i = 0; i < depth;) {
            (, uint256 sa) = _sibling(steps, i);
            uint256 bit = steps[i].bit;
            if (bit < split ? _bit(key, bit) == 1 : leafBelow) below += sa;
            else above += sa;
            unchecked {
                ++i;
            }
        }
        if (leafBelow) below += ONE_LEAF | p.leafSize;
        else if (leafKey != key) above += ONE_LEAF | p.leafSize;
        _checkFits(below);
        _checkFits(above);
    }

    /// What ends the path, once the proof's shape is checked: at most 256 steps, bits increasing, no empty sibling,
    /// and a leaf on `key`'s path unless the tree is empty.
    function _end(Proof calldata p, bytes32 key) private pure returns (bytes32, uint256) {
        Step[] calldata steps = p.steps;
        uint256 depth = steps.length;
        if (depth > MAX_DEPTH) revert ProofTooDeep(depth);
        if (!p.endsInLeaf) {
            if (depth > 0) revert MissingLeaf(key);
            return (bytes32(0), 0);
        }
        bytes32 leafKey = p.leafKey;
        uint256 differs = uint256(leafKey) ^ uint256(key);
        uint256 previous;
        for (uint256 i = 0; i < depth;) {
            uint256 bit = steps[i].bit;
            if (i > 0 && bit <= previous) revert BitsOutOfOrder(key, i);
            if (steps[i].count == 0) revert EmptySibling(key, i);
            if ((differs >> (255 - bit)) & 1 != 0) revert LeafOffPath(key, leafKey);
            previous = bit;
            unchecked {
                ++i;
            }
        }
        uint256 size = p.leafSize;
        return (_leafHash(leafKey, p.leafValueHash, size), ONE_LEAF | size);
    }

    /// Folds (h, a), the path's node below step `from` − 1, up through steps from − 1 to `to`. One Yul loop: the same
    /// steps as _sibling and _join, without an internal call and its stack shuffling per level, which cost more than
    /// the hash itself.
    function _fold(Step[] calldata steps, bytes32 key, uint256 from, uint256 to, bytes32 h, uint256 a)
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
                let at := add(steps.offset, mul(i, 128))
                let bit := calldataload(at)
                let count := calldataload(add(at, 64))
                let size := calldataload(add(at, 96))
                if or(gt(bit, 0xff), or(gt(count, 0xffffffff), gt(size, 0xffffffffffffffff))) { revert(0, 0) }
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
                mstore8(add(m, 1), bit)
                switch and(shr(sub(255, bit), key), 1)
                case 0 {
                    mstore(add(m, 2), h)
                    mstore(add(m, 34), calldataload(add(at, 32)))
                }
                default {
                    mstore(add(m, 2), calldataload(add(at, 32)))
                    mstore(add(m, 34), h)
                }
                mstore(add(m, 66), or(shl(224, count), shl(160, size)))
                h := keccak256(m, 78)
            }
        }
        return (h, a);
    }

    /// Step `i`'s sibling (i < steps.length) as (hash, count << 128 | size). Read with calldataload, which skips the
    /// per-member checks of `steps[i].count` (the ABI decoder checked that the array lies in calldata); a count or
    /// size wider than its type is refused as the decoder would, with empty revert data.
    function _sibling(Step[] calldata steps, uint256 i) private pure returns (bytes32 h, uint256 a) {
        assembly ("memory-safe") {
            let at := add(steps.offset, mul(i, 128))
            h := calldataload(add(at, 32))
            let count := calldataload(add(at, 64))
            let size := calldataload(add(at, 96))
            if or(gt(count, 0xffffffff), gt(size, 0xffffffffffffffff)) { revert(0, 0) }
            a := or(shl(128, count), size)
        }
    }

    /// The inner node at `bit` over (lh, la) and (rh, ra); each aggregate is count << 128 | size with count < 2^32
    /// and size < 2^64, so their sum carries nothing across halves.
    function _join(uint256 bit, bytes32 lh, uint256 la, bytes32 rh, uint256 ra) private pure returns (bytes32, uint256) {
        uint256 a;
        unchecked {
            a = la + ra;
        }
        _checkFits(a);
        return (_innerHash(bit, lh, rh, a), a);
    }

    function _checkFits(uint256 a) private pure {
        if (a >> 128 > type(uint32).max) revert CountOverflow();
        if (a & SIZE_MASK > type(uint64).max) revert SizeOverflow();
    }

    /// Bit `index` of `key`, counting from the most significant bit of byte 0; `index` < 256.
    function _bit(bytes32 key, uint256 index) private pure returns (uint256) {
        unchecked {
            return (uint256(key) >> (255 - index)) & 1;
        }
    }

    /// The index of the first bit where `a` and `b` differ (they must): 255 − floor(log2(a xor b)).
    function _firstDifferingBit(bytes32 a, bytes32 b) private pure returns (uint256 index) {
        uint256 x = uint256(a) ^ uint256(b);
        for (uint256 step = 128; step > 0; step >>= 1) {
            if (x >> (256 - step) == 0) {
                index += step;
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

    /// keccak256(0x01 ‖ u8 bit ‖ left ‖ right ‖ u32 count ‖ u64 size) for the aggregate `a` = count << 128 | size,
    /// likewise.
    function _innerHash(uint256 bit, bytes32 left, bytes32 right, uint256 a) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x01)
            mstore8(add(m, 1), bit)
            mstore(add(m, 2), left)
            mstore(add(m, 34), right)
            mstore(add(m, 66), or(shl(224, shr(128, a)), shl(160, and(a, 0xffffffffffffffff))))
            h := keccak256(m, 78)
        }
    }
}
