// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IBondLedger} from "./IBondLedger.sol";

/// @notice The sequencer's bond behind its acks, and the two proofs that slash it (docs/acks.md, "Enforcing an ack").
interface IAckSlashing is IBondLedger {
    /// An ack as the sequencer hands it out (docs/acks.md): the proof is the ack tree's siblings from the leaf up,
    /// the signature r ‖ s ‖ v (v 0/1 or 27/28) of the EIP-712 message AckRoot(bytes32 root).
    struct Ack {
        uint64 sequence;
        bytes32 txHash;
        bytes32 root;
        bytes32[] proof;
        bytes signature;
    }

    enum Violation {
        Equivocation, // the batch holding the ack's sequence holds another transaction there
        Omission // the final batch whose range holds the ack's sequence has no transaction there
    }

    event BondDeposited(address indexed from, uint256 amount, uint256 bond);
    event BondWithdrawalProposed(address indexed sequencer, uint256 amount, uint64 executableAt);
    event BondWithdrawalCancelled(address indexed sequencer, uint256 amount);
    event BondWithdrawn(address indexed sequencer, uint256 amount, uint256 bond);
    event AckSlashed(
        bytes32 indexed ackId,
        Violation violation,
        uint64 sequence,
        bytes32 txHash,
        uint64 batchIndex,
        address indexed recipient,
        uint256 paid,
        uint256 burnt
    );

    error ZeroAddress();
    error InvalidConfig();
    error ZeroAmount();
    error NotSequencer(address caller);
    error NoPendingWithdrawal();
    error TimelockNotElapsed(uint64 executableAt);
    error AckProofTooLong(uint256 siblings);
    error AckProofMismatch(bytes32 computed, bytes32 root);
    error InvalidSignature();
    error NotSignedBySequencer(address signer, address sequencer);
    error AlreadySlashed(bytes32 ackId);
    error UnknownBatch(uint64 batchIndex);
    error SequenceNotInBatch(uint64 sequence, uint64 firstSequence, uint64 txCount);
    error SameTransaction(bytes32 txHash);
    error NotInBatch(uint64 batchIndex, uint64 sequence, bytes32 txHash);
    error BatchNotFinal(uint64 batchIndex);
    error AbsenceNotProven(uint64 batchIndex, uint64 sequence);
    error NoBond();

    function depositBond() external payable;
    function proposeBondWithdrawal(uint256 amount) external;
    function executeBondWithdrawal() external;
    function cancelBondWithdrawal() external;
    function slashEquivocation(
        Ack calldata ack,
        uint64 batchIndex,
        bytes32 postedTxHash,
        bytes32[] calldata siblings,
        address recipient
    ) external;
    function slashOmission(
        Ack calldata ack,
        uint64 batchIndex,
        bytes32 endingKey,
        bytes32 endingValueHash,
        bytes32[] calldata siblings,
        address recipient
    ) external;

    function bond() external view returns (uint256);
    function slashAmount() external view returns (uint256);
    function burnPpm() external view returns (uint32);
    function bondDelayBlocks() external view returns (uint64);
    function slashed(bytes32 ackId) external view returns (bool);
    function ackId(uint64 sequence, bytes32 txHash) external pure returns (bytes32);
    function ackDigest(bytes32 root) external view returns (bytes32);
    function pendingBondWithdrawal() external view returns (address sequencer, uint256 amount, uint64 executableAt);
}
