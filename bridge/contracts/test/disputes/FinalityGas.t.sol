// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {FinalityFixture} from "./lib/FinalityFixture.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";

/// The finality tie-in's figures in docs/disputes.md ("Finality"):
///   forge test --gas-report --isolate --match-contract FinalityGas --match-test <one test> (one call each)
/// Batches of the fixture (accounts, markets 1 and 2, one-step claims: 2 siblings); the game set on the settlement
/// (wired) unless the test says otherwise.
contract FinalityGasTest is FinalityFixture {
    function setUp() public override {
        super.setUp();
        _wire(address(game));
        _commitBatch();
        _commitBatch();
        _commitBatch();
    }

    function test_gas_challengeWired() public {
        _open(ALICE, 2, MARKET, M1);
    }

    function test_gas_challengeWiredSecondGame() public {
        _open(ALICE, 2, MARKET, M1);
        _open(BOB, 2, MARKET, M1);
    }

    function test_gas_proveDefenderWinsWired() public {
        bytes32 id = _open(ALICE, 2, MARKET, M1);
        _end(id, false);
    }

    function test_gas_proveClaimFallsWired() public {
        bytes32 id = _open(ALICE, 2, MARKET, M1);
        _end(id, true);
    }

    function test_gas_abandonWired() public {
        bytes32 a = _open(ALICE, 2, MARKET, M1);
        bytes32 b = _open(BOB, 2, MARKET, M1);
        _end(a, true);
        game.abandon(b);
    }

    function test_gas_repostThreeBatches() public {
        _end(_open(ALICE, 0, MARKET, M1), true);
        _repost(MARKET, M1, 1);
    }

    function test_gas_repostOneBatch() public {
        _end(_open(ALICE, 2, MARKET, M1), true);
        _repost(MARKET, M1, 1);
    }

    function test_gas_claimWithdrawalWired() public {
        vm.roll(block.number + CHALLENGE_WINDOW);
        _withdrawBatch(2);
    }

    function test_gas_claimWithdrawalWiredWhileAMarketIsDisputed() public {
        _open(ALICE, 2, MARKET, M1);
        vm.roll(block.number + CHALLENGE_WINDOW);
        _withdrawBatch(2);
    }
}

/// The same calls with no game set on the settlement (the game deployed alone): what the hooks add is the difference.
contract FinalityGasUnwiredTest is FinalityFixture {
    function setUp() public override {
        super.setUp();
        _commitBatch();
        _commitBatch();
        _commitBatch();
    }

    function test_gas_challengeUnwired() public {
        _open(ALICE, 2, MARKET, M1);
    }

    function test_gas_proveDefenderWinsUnwired() public {
        bytes32 id = _open(ALICE, 2, MARKET, M1);
        _end(id, false);
    }

    function test_gas_proveClaimFallsUnwired() public {
        bytes32 id = _open(ALICE, 2, MARKET, M1);
        _end(id, true);
    }

    function test_gas_abandonUnwired() public {
        bytes32 a = _open(ALICE, 2, MARKET, M1);
        bytes32 b = _open(BOB, 2, MARKET, M1);
        _end(a, true);
        game.abandon(b);
    }

    function test_gas_claimWithdrawalUnwired() public {
        vm.roll(block.number + CHALLENGE_WINDOW);
        _withdrawBatch(2);
    }
}
