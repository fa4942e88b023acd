// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice Keys and record hashes of the trees an accounts step reads and writes (docs/steps.md, "The witness,
/// leaf by leaf"). Every leaf's value hash is keccak256 of its record; all integers big-endian, fixed width.
library AccountsStepKeys {
    /// @notice txRoot: keccak256(u64 sequence); blocksRoot: keccak256(u64 block).
    function ofU64(uint64 value) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(value));
    }

    /// @notice The registry and routed trees: keccak256(u32 m); the replies tree: keccak256(u32 k).
    function ofU32(uint32 value) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(value));
    }

    /// @notice The accounts tree: keccak256(address).
    function account(address owner) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(owner));
    }

    /// @notice The withdrawals tree and a market's outbox of replies: keccak256(u64 block ‖ u32 txIndex).
    function blockTx(uint64 blockNumber, uint32 txIndex) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(blockNumber, txIndex));
    }

    /// @notice The accounts domain's outbox: keccak256(u32 m ‖ u64 block ‖ u32 j), message j to market m in a block.
    function outboxMessage(uint32 market, uint64 blockNumber, uint32 index) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(market, blockNumber, index));
    }

    /// @notice A market's reply: address ‖ i64 amount (28 bytes); a withdrawal leaf that drew on no held credit is the same.
    function accountAmountHash(address owner, int64 amount) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(owner, amount));
    }

    /// @notice An outbox message: u64 sequence ‖ u32 txIndex ‖ u32 slot, the transaction's first order slot (16 bytes).
    function outboxRecordHash(uint64 sequence, uint32 txIndex, uint32 slot) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(sequence, txIndex, slot));
    }

    /// @notice A routed count: u32 count (4 bytes).
    function countRecordHash(uint32 count) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(count));
    }

    /// @notice An expected reply: u32 market ‖ u32 txIndex (8 bytes).
    function replyRecordHash(uint32 market, uint32 txIndex) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(market, txIndex));
    }

    /// @notice A registered market: the record 0x01.
    bytes32 internal constant REGISTERED_HASH = keccak256(hex"01");
}
