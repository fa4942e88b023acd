// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {BondLedger} from "./BondLedger.sol";
import {IAckSlashing} from "./IAckSlashing.sol";
import {IRollupSettlement} from "./IRollupSettlement.sol";
import {SparseMerkleAbsence} from "./SparseMerkleAbsence.sol";

/// @notice Makes the sequencer's acks binding: it holds the sequencer's bond in ether, and anyone holding an ack the
/// sequencer signed for (sequence, tx hash) that a posted batch contradicts takes `slashAmount` of it (less a burnt
/// share of `burnPpm`), once per ack. It only reads the settlement contract. Rules: docs/acks.md, "Enforcing an ack".
contract AckSlashing is IAckSlashing, BondLedger {
    uint256 internal constant PPM = 1_000_000;
    uint256 internal constant MAX_ACK_PROOF = 64;
    /// secp256k1's n / 2: signatures with a higher s are refused (EIP-2), as everywhere in the rollup.
    uint256 internal constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant ACK_ROOT_TYPEHASH = keccak256("AckRoot(bytes32 root)");

    IRollupSettlement public immutable settlement;
    /// The Rollup domain of docs/eip712.md: the L2 chain id and the settlement contract as verifying contract.
    bytes32 public immutable domainSeparator;
    uint256 public immutable slashAmount;
    uint32 public immutable burnPpm;
    uint64 public immutable bondDelayBlocks;

    uint256 public bond;
    mapping(bytes32 ackId => bool) public slashed;

    PendingWithdrawal private _pending;

    struct PendingWithdrawal {
        address sequencer;
        uint64 executableAt;
        uint256 amount;
    }

    constructor(address settlement_, uint256 l2ChainId, uint256 slashAmount_, uint32 burnPpm_, uint64 bondDelayBlocks_) {
        if (settlement_ == address(0)) revert ZeroAddress();
        if (slashAmount_ == 0 || burnPpm_ > PPM || bondDelayBlocks_ == 0 || bondDelayBlocks_ > type(uint32).max) {
            revert InvalidConfig();
        }
        settlement = IRollupSettlement(settlement_);
        domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Rollup"), keccak256("1"), l2ChainId, settlement_)
        );
        slashAmount = slashAmount_;
        burnPpm = burnPpm_;
        bondDelayBlocks = bondDelayBlocks_;
    }

    // ---- the bond ----

    /// @notice Adds the value sent to the sequencer's bond; anyone may.
    function depositBond() external payable {
        if (msg.value == 0) revert ZeroAmount();
        bond += msg.value;
        emit BondDeposited(msg.sender, msg.value, bond);
    }

    /// @notice The sequencer asks for `amount` of the bond back; it stays slashable until the withdrawal executes,
    /// `bondDelayBlocks` from now. A new proposal replaces the pending one and restarts the delay.
    function proposeBondWithdrawal(uint256 amount) external {
        address sequencer = settlement.sequencer();
        if (msg.sender != sequencer) revert NotSequencer(msg.sender);
        if (amount == 0) revert ZeroAmount();
        uint64 executableAt = uint64(block.number) + bondDelayBlocks;
        _pending = PendingWithdrawal(sequencer, executableAt, amount);
        emit BondWithdrawalProposed(sequencer, amount, executableAt);
    }

    function cancelBondWithdrawal() external {
        if (msg.sender != settlement.sequencer()) revert NotSequencer(msg.sender);
        PendingWithdrawal memory p = _pending;
        if (p.amount == 0) revert NoPendingWithdrawal();
        delete _pending;
        emit BondWithdrawalCancelled(p.sequencer, p.amount);
    }

    /// @notice Anyone may execute a withdrawal past its delay: what is left of the amount after slashes is credited to
    /// the sequencer that proposed it.
    function executeBondWithdrawal() external {
        PendingWithdrawal memory p = _pending;
        if (p.amount == 0) revert NoPendingWithdrawal();
        if (block.number < p.executableAt) revert TimelockNotElapsed(p.executableAt);
        delete _pending;
        uint256 amount = p.amount < bond ? p.amount : bond;
        bond -= amount;
        _credit(p.sequencer, amount);
        emit BondWithdrawn(p.sequencer, amount, bond);
    }

    function pendingBondWithdrawal() external view returns (address sequencer, uint256 amount, uint64 executableAt) {
        return (_pending.sequencer, _pending.amount, _pending.executableAt);
    }

    // ---- slashing ----

    /// @notice The batch `batchIndex`, whose range holds the ack's sequence, holds `postedTxHash` there, not the
    /// ack's: `siblings` (root down) lead from that leaf to the batch's transaction root.
    function slashEquivocation(
        Ack calldata ack,
        uint64 batchIndex,
        bytes32 postedTxHash,
        bytes32[] calldata siblings,
        address recipient
    ) external {
        bytes32 id = _checkAck(ack);
        _inRange(batchIndex, ack.sequence);
        if (postedTxHash == ack.txHash) revert SameTransaction(postedTxHash);
        if (!settlement.transactionIncluded(batchIndex, ack.sequence, postedTxHash, siblings)) {
            revert NotInBatch(batchIndex, ack.sequence, postedTxHash);
        }
        _slash(id, Violation.Equivocation, ack, batchIndex, recipient);
    }

    /// @notice The batch `batchIndex` is final and its range holds the ack's sequence, yet its transaction root has no
    /// leaf at that sequence's key: the key's path (`siblings`, root down) ends at the leaf (`endingKey`,
    /// `endingValueHash`) of another key, or at an empty subtree when `endingKey` is zero.
    function slashOmission(
        Ack calldata ack,
        uint64 batchIndex,
        bytes32 endingKey,
        bytes32 endingValueHash,
        bytes32[] calldata siblings,
        address recipient
    ) external {
        bytes32 id = _checkAck(ack);
        IRollupSettlement.Batch memory b = _inRange(batchIndex, ack.sequence);
        if (!settlement.isFinalized(batchIndex)) revert BatchNotFinal(batchIndex);
        bytes32 key = settlement.transactionKey(ack.sequence);
        if (SparseMerkleAbsence.root(key, endingKey, endingValueHash, siblings) != b.txRoot) {
            revert AbsenceNotProven(batchIndex, ack.sequence);
        }
        _slash(id, Violation.Omission, ack, batchIndex, recipient);
    }

    /// @notice An ack's identity: its leaf in the ack tree. The same promise signed in two trees is one ack.
    function ackId(uint64 sequence, bytes32 txHash) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(sequence, txHash));
    }

    /// @notice The EIP-712 digest the sequencer signs for an ack tree's root.
    function ackDigest(bytes32 root) public view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, keccak256(abi.encode(ACK_ROOT_TYPEHASH, root))));
    }

    /// The ack's leaf, once its proof leads to the root the sequencer signed and it was not slashed before.
    function _checkAck(Ack calldata ack) private view returns (bytes32 id) {
        id = ackId(ack.sequence, ack.txHash);
        if (slashed[id]) revert AlreadySlashed(id);
        uint256 length = ack.proof.length;
        if (length > MAX_ACK_PROOF) revert AckProofTooLong(length);
        bytes32 node = id;
        for (uint256 i = 0; i < length; i++) {
            bytes32 sibling = ack.proof[i];
            node = node <= sibling ? keccak256(abi.encodePacked(node, sibling)) : keccak256(abi.encodePacked(sibling, node));
        }
        if (node != ack.root) revert AckProofMismatch(node, ack.root);
        address signer = _recover(ackDigest(ack.root), ack.signature);
        address sequencer = settlement.sequencer();
        if (signer != sequencer) revert NotSignedBySequencer(signer, sequencer);
    }

    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
        if (signature.length != 65) revert InvalidSignature();
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        if ((v != 27 && v != 28) || uint256(s) > HALF_ORDER) revert InvalidSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }

    /// The batch, once it is known and its range holds `sequence`.
    function _inRange(uint64 batchIndex, uint64 sequence) private view returns (IRollupSettlement.Batch memory b) {
        if (batchIndex >= settlement.nextBatchIndex()) revert UnknownBatch(batchIndex);
        b = settlement.batch(batchIndex);
        if (sequence < b.firstSequence || sequence - b.firstSequence >= b.txCount) {
            revert SequenceNotInBatch(sequence, b.firstSequence, b.txCount);
        }
    }

    /// Takes slashAmount (or what is left) from the bond: the burnt share to BURN_ADDRESS, the rest owed to the
    /// recipient (msg.sender when zero), paid by withdraw().
    function _slash(bytes32 id, Violation violation, Ack calldata ack, uint64 batchIndex, address recipient) private {
        uint256 available = bond;
        if (available == 0) revert NoBond();
        uint256 amount = slashAmount < available ? slashAmount : available;
        uint256 burnt = amount * burnPpm / PPM;
        address to = recipient == address(0) ? msg.sender : recipient;
        slashed[id] = true;
        bond = available - amount;
        _credit(to, amount - burnt);
        emit AckSlashed(id, violation, ack.sequence, ack.txHash, batchIndex, to, amount - burnt, burnt);
        _burn(burnt);
    }
}
