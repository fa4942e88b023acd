// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "../IRollupSettlement.sol";

/// @notice One domain kind's judge of a single step (docs/disputes.md, "One-step provers"): from a proof of one step
/// against a batch's inputs, the hashes of the step states before and after it. A proof it cannot accept reverts.
interface IOneStepProver {
    /// The state hashes before and after one step of the domain, from a proof of it against the inputs of batch
    /// `batchIndex` (its record `batch`): the index lets a prover read other domains' claims as they stand on the
    /// settlement contract, re-posted ones included.
    function prove(uint64 batchIndex, IRollupSettlement.Batch calldata batch, uint32 market, bytes calldata proof)
        external
        view
        returns (bytes32 pre, bytes32 post);

    /// The other domain's claim of the same batch that the step `proof` proves reads (docs/disputes.md, "One-step
    /// provers"), told from the proof's pre-state (whose hash is `pre`); `reads` false when it reads none. A game proves
    /// such a step only once that claim is Final, so no step is decided against a claim that may still fall.
    function inputOf(uint32 market, bytes calldata proof)
        external
        view
        returns (bytes32 pre, bool reads, uint8 kind, uint32 inputMarket);
}
