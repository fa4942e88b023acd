// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @notice The market verifier's refusals, one per reason the C# step function throws a StepProofException
/// (Steps/Markets/). A malformed transaction is TransactionDecoder's, a malformed ordered proof OrderedTree's.
interface MarketStepErrors {
    /// The record or the pending work given is not what the state's hash says.
    error RecordNotTheStates();
    error PendingNotTheStates();
    /// The state's phase is none of a market's.
    error NotAMarketPhase(uint8 phase);
    /// The witness's input (stream 0) or ordered (stream 1) leaves end before the step's read `leaf`.
    error WitnessTooShort(uint8 stream, uint256 leaf);
    /// The step read `inputsRead` and `orderedRead` leaves; the witness holds more.
    error WitnessTooLong(uint256 inputsRead, uint256 orderedRead);
    /// Input leaf `leaf` does not prove the step's key under the root the step names.
    error BadInputProof(uint256 leaf);
    /// Ordered leaf `leaf` does not prove the step's key (or record) under the tree's current root.
    error BadOrderedProof(uint256 leaf);
    /// Ordered leaf `leaf` is not the tree's first (or last) leaf.
    error NotEdgeLeaf(uint256 leaf);
    error BlockNotInBatch(uint64 blockNumber);
    /// A routed message is not u64 sequence ‖ u32 txIndex ‖ u32 slot.
    error BadRoutedMessage();
    error NotThisMarketsTransaction(uint64 sequence);
    error MarketMissing(uint32 market);
    error MarketCreatedTwice(uint32 market);
    error BadMarketRecord();
    error EmptyPositionLeaf();
    error BadPositionLeaf();
    error PositionChangedUnderStep();
    error RiskLeafMissing();
    error RiskLeafTaken();
    error RiskLeafNotItsPositions(address account);
    error OrderRestsAlready(uint64 orderId);
    error OrderNotInBook(uint64 orderId);
    error OrderNotListed(uint64 orderId);
    error BadBookLeaf();
    error ReplyExists(uint32 txIndex);
    error BadPending();
    error LiquidationPendingInInbox();
    error PendingNotALiquidation();
    error PendingCancelAllHasNoPosition();
    error LiquidationLeftSize(address account, int64 size);
    /// The dispatcher sent the step to a prover that does not run its kind (a witness lying about its message).
    error NotThisProversStep();
}
