// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {TxKind} from "../TransactionDecoder.sol";
import {MarketPending} from "./MarketPending.sol";
import {MarketStepErrors} from "./MarketStepErrors.sol";
import {MarketBytes, MarketPhase, MarketState, MarketStepContext, MarketWitness} from "./MarketStepTypes.sol";

/// @notice One step of a market domain on L1 (docs/steps.md, "Market domains"; docs/market-verifier.md): from the
/// state before a step, the bytes it commits to (the market record and the pending work), the batch's inputs and a
/// witness, the state after it. The step's kind is told by the state, and in the inbox by the routed message's
/// kind; this dispatcher picks the prover that runs it and forwards the call unchanged, so each prover stays under
/// EIP-170's limit. The provers check everything themselves: a witness that lies about its message reaches a
/// prover that refuses it.
contract MarketStepVerifier is MarketStepErrors {
    /// BlockStart, Mark, the liquidation check, MarkAgain.
    address public immutable blockProver;
    /// InboxEnd, every Message but PlaceOrder, and Continue of a cancel-all.
    address public immutable messageProver;
    /// A PlaceOrder Message, and Continue of a sweep (a bulk item's too).
    address public immutable orderProver;
    /// A Bulk Message, and Continue of a bulk's item that cancels.
    address public immutable bulkProver;
    /// Continue of a bulk's item that places.
    address public immutable bulkPlaceProver;
    /// LiquidationContinue.
    address public immutable liquidationProver;

    constructor(
        address blockProver_,
        address messageProver_,
        address orderProver_,
        address liquidationProver_,
        address bulkProver_,
        address bulkPlaceProver_
    ) {
        (blockProver, messageProver, orderProver, liquidationProver) = (blockProver_, messageProver_, orderProver_, liquidationProver_);
        (bulkProver, bulkPlaceProver) = (bulkProver_, bulkPlaceProver_);
    }

    /// @notice The state after the step that follows `pre`, and the record and pending work it commits to.
    function step(MarketState calldata pre, MarketBytes calldata bytes_, MarketStepContext calldata ctx, MarketWitness calldata w)
        external
        view
        returns (MarketState memory, MarketBytes memory)
    {
        (ctx);
        address prover = proverOf(pre, bytes_, w);
        assembly ("memory-safe") {
            let at := mload(0x40)
            calldatacopy(at, 0, calldatasize())
            let ok := staticcall(gas(), prover, at, calldatasize(), 0, 0)
            returndatacopy(at, 0, returndatasize())
            if iszero(ok) { revert(at, returndatasize()) }
            return(at, returndatasize())
        }
    }

    /// @notice The step state's hash, what a claim commits to: keccak256(abi.encode(state)).
    function stateHash(MarketState calldata state) external pure returns (bytes32) {
        return keccak256(abi.encode(state));
    }

    /// @notice The prover of the step that follows `pre`.
    function proverOf(MarketState calldata pre, MarketBytes calldata bytes_, MarketWitness calldata w) public view returns (address) {
        uint8 phase = pre.phase;
        bool pending = bytes_.pending.length > 0;
        if (phase == MarketPhase.INBOX) {
            // The pending work's first byte is its kind (a liquidation here is refused by the order prover); a bulk's
            // names the half of its item that runs next, byte 19.
            if (pending) {
                uint8 kind = uint8(bytes_.pending[0]);
                if (kind == MarketPending.CANCEL_ALL) return messageProver;
                if (kind != MarketPending.BULK || bytes_.pending.length != MarketPending.BULK_LENGTH) return orderProver;
                return uint8(bytes_.pending[19]) == MarketPending.HALF_CANCEL ? bulkProver : bulkPlaceProver;
            }
            // Leaf 1 of a Message step is its transaction; a witness that names another kind is refused by its prover.
            uint8 txKind = w.inputs.length > 1 && w.inputs[1].record.length > 0 ? uint8(w.inputs[1].record[0]) : 0;
            if (txKind == TxKind.PLACE_ORDER) return orderProver;
            return txKind == TxKind.BULK ? bulkProver : messageProver;
        }
        if (phase == MarketPhase.LIQUIDATION && pending) return liquidationProver;
        if (phase <= MarketPhase.MARK_AGAIN) return blockProver;
        revert NotAMarketPhase(phase);
    }
}
