// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IRollupSettlement} from "../../../src/IRollupSettlement.sol";
import {IOneStepProver} from "../../../src/disputes/IOneStepProver.sol";

/// @notice A prover whose answer the test sets: (pre, post), or a refusal.
contract FixedProver is IOneStepProver {
    error ProofRefused(uint256 code);

    bytes32 public pre;
    bytes32 public post;
    uint256 public refusal; // non-zero: prove reverts ProofRefused(refusal)
    bool public reads; // the step reads another claim of the batch: (inputKind, inputMarket)
    uint8 public inputKind;
    uint32 public inputMarket;

    function set(bytes32 pre_, bytes32 post_) external {
        (pre, post, refusal) = (pre_, post_, 0);
    }

    function refuse(uint256 code) external {
        refusal = code;
    }

    function readInput(uint8 kind, uint32 market) external {
        (reads, inputKind, inputMarket) = (true, kind, market);
    }

    function inputOf(uint32, bytes calldata) external view returns (bytes32, bool, uint8, uint32) {
        return (pre, reads, inputKind, inputMarket);
    }

    function prove(uint64, IRollupSettlement.Batch calldata, uint32, bytes calldata) external view returns (bytes32, bytes32) {
        if (refusal != 0) revert ProofRefused(refusal);
        return (pre, post);
    }
}

/// @notice A made-up domain whose true trace is state(i) = keccak256(abi.encode(i)): proof abi.encode(uint64 i) proves
/// step i, from state(i) to state(i + 1). Nothing else is provable.
contract TraceProver is IOneStepProver {
    function state(uint64 i) public pure returns (bytes32) {
        return keccak256(abi.encode(i));
    }

    function prove(uint64, IRollupSettlement.Batch calldata, uint32, bytes calldata proof)
        external
        pure
        returns (bytes32, bytes32)
    {
        uint64 i = abi.decode(proof, (uint64));
        return (state(i), state(i + 1));
    }

    function inputOf(uint32, bytes calldata proof) external pure virtual returns (bytes32, bool, uint8, uint32) {
        return (state(abi.decode(proof, (uint64))), false, 0, 0);
    }
}

/// @notice TraceProver whose every step reads the batch's claim of market INPUT_MARKET (IOneStepProver.inputOf).
contract InputTraceProver is TraceProver {
    uint32 public constant INPUT_MARKET = 7;

    function inputOf(uint32, bytes calldata proof) external pure override returns (bytes32, bool, uint8, uint32) {
        return (state(abi.decode(proof, (uint64))), true, 1, INPUT_MARKET);
    }
}
