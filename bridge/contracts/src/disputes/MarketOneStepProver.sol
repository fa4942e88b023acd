// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "../IRollupSettlement.sol";
import {IOneStepProver} from "./IOneStepProver.sol";
import {AccountsOutboxClaim} from "./OutboxClaims.sol";
import {MarketStepVerifier} from "../steps/markets/MarketStepVerifier.sol";
import {MarketBytes, MarketState, MarketStepContext, MarketWitness} from "../steps/markets/MarketStepTypes.sol";

/// @notice A market domain's one-step prover (docs/disputes.md, "One-step provers"): the deployed MarketStepVerifier
/// run on a proof abi.encode(MarketState pre, MarketBytes bytes, AccountsOutboxClaim accounts, MarketWitness w).
/// txRoot and blocksRoot come from the batch record; the routed messages from the accounts domain's outbox root as
/// its claim in the same batch ends it, as the claim stands on the settlement contract (a re-posted claim, once the
/// accounts domain is re-posted there, never the voided original), so a market step is judged against what the
/// accounts claim stands for.
contract MarketOneStepProver is IOneStepProver {
    error NoVerifier();
    /// F (book operations a step) and C (cancels a step) must both be positive: the step function needs them.
    error ZeroStepBound(uint32 bookOpsPerStep, uint32 cancelsPerStep);
    /// The proof's state is another market's than the game's.
    error WrongMarket(uint32 expected, uint32 given);
    /// The accounts claim the proof opens (start, keccak256(end), steps, siblings) is not the batch's as it stands
    /// (settlement.claimIncluded): not in its claimsRoot, or replaced there by a re-post.
    error AccountsClaimNotInBatch();

    uint8 private constant ACCOUNTS = 0;
    uint256 private constant MARKET_STATE_BYTES = 20 * 32;

    IRollupSettlement public immutable settlement;
    MarketStepVerifier public immutable verifier;
    uint32 public immutable bookOpsPerStep;
    uint32 public immutable cancelsPerStep;

    constructor(IRollupSettlement settlement_, MarketStepVerifier verifier_, uint32 bookOpsPerStep_, uint32 cancelsPerStep_) {
        if (address(verifier_) == address(0)) revert NoVerifier();
        settlement = settlement_;
        if (bookOpsPerStep_ == 0 || cancelsPerStep_ == 0) revert ZeroStepBound(bookOpsPerStep_, cancelsPerStep_);
        verifier = verifier_;
        bookOpsPerStep = bookOpsPerStep_;
        cancelsPerStep = cancelsPerStep_;
    }

    function prove(uint64 batchIndex, IRollupSettlement.Batch calldata batch, uint32 market, bytes calldata proof)
        external
        view
        returns (bytes32 pre, bytes32 post)
    {
        (MarketState memory before, MarketBytes memory bytes_, AccountsOutboxClaim memory accounts, MarketWitness memory w) =
            abi.decode(proof, (MarketState, MarketBytes, AccountsOutboxClaim, MarketWitness));
        if (before.market != market) revert WrongMarket(market, before.market);
        bytes32 accountsEnd = keccak256(abi.encode(accounts.end));
        if (!settlement.claimIncluded(batchIndex, ACCOUNTS, 0, accounts.start, accountsEnd, accounts.steps, accounts.siblings)) {
            revert AccountsClaimNotInBatch();
        }
        MarketStepContext memory ctx =
            MarketStepContext(batch.txRoot, batch.blocksRoot, accounts.end.outboxRoot, bookOpsPerStep, cancelsPerStep);
        (MarketState memory afterStep,) = verifier.step(before, bytes_, ctx, w);
        return (keccak256(abi.encode(before)), keccak256(abi.encode(afterStep)));
    }

    /// A market step reads the accounts claim as it stands and waits for nothing: an accounts Reply step already waits
    /// for the market's claim to be Final, and a market step waiting for the accounts claim too would let two games wait
    /// on each other for ever (docs/disputes.md, "One-step provers"). The pre-state is static: the proof's first twenty
    /// words.
    function inputOf(uint32, bytes calldata proof)
        external
        pure
        returns (bytes32 pre, bool reads, uint8 kind, uint32 inputMarket)
    {
        pre = keccak256(proof[:MARKET_STATE_BYTES]);
        return (pre, false, 0, 0);
    }

    /// @notice The proof `prove` decodes: clients encode it with this function's parameter types (its calldata less
    /// the selector), so their encoding follows these structs.
    function proofOf(MarketState calldata pre, MarketBytes calldata bytes_, AccountsOutboxClaim calldata accounts, MarketWitness calldata w)
        external
        pure
        returns (bytes memory)
    {
        return abi.encode(pre, bytes_, accounts, w);
    }
}
