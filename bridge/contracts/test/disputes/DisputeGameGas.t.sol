// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {DisputeFixture} from "./lib/DisputeFixture.sol";
import {Claims} from "../lib/Claims.sol";
import {Smt} from "../lib/Smt.sol";
import {IRollupSettlement} from "../../src/IRollupSettlement.sol";
import {IDisputeGame} from "../../src/disputes/IDisputeGame.sol";

/// Representative moves for the gas figures in docs/disputes.md:
///   forge test --gas-report --isolate --match-contract DisputeGameGas
/// A claim of 2^20 steps (20 rounds) proven among the accounts domain and 16 markets (5 siblings, made up, the root
/// folded from them), the one step judged by the mock trace prover (the accounts prover's cost is the verifier's on
/// top: scripts/bench steps).
contract DisputeGameGasTest is DisputeFixture {
    uint64 internal constant STEPS = 1 << 20;

    Claim internal claim;

    function setUp() public override {
        super.setUp();
        game = _deploy(address(traceProver));
        bytes32 start = traceProver.state(0);
        bytes32 end = keccak256("a false end");
        // The accounts domain and 16 markets claimed, as on the devnet.
        IRollupSettlement.DomainClaim[] memory claims = new IRollupSettlement.DomainClaim[](17);
        claims[0] = IRollupSettlement.DomainClaim(ACCOUNTS, 0, start, end, STEPS);
        for (uint32 m = 1; m <= 16; m++) {
            claims[m] = IRollupSettlement.DomainClaim(MARKET, m, keccak256(abi.encode("start", m)), keccak256(abi.encode("end", m)), 1_000);
        }
        claims = Claims.sorted(claims);
        IRollupSettlement.Commitment memory k = _nextCommitment(keccak256("state"), 0, 5, 0);
        _setNextClaims(claims);
        k.claimsRoot = Claims.root(claims);
        _commit(k);
        bytes32[] memory siblings = Claims.proof(claims, ACCOUNTS, 0);
        claim = Claim(0, ACCOUNTS, 0, start, end, STEPS, siblings);
    }

    function test_gas_challenge() public {
        _challenge(ALICE, claim, traceProver.state(STEPS));
    }

    /// Every round: the defender bisects with a lie, the challenger (true trace) agrees or disagrees, then the
    /// challenger proves the last step and withdraws.
    function test_gas_aWholeGame() public {
        bytes32 id = _challenge(ALICE, claim, traceProver.state(STEPS));
        for (uint256 round = 0; round < 20; round++) {
            IDisputeGame.Game memory g = game.game(id);
            uint64 m = g.lo + (g.hi - g.lo) / 2;
            bool tell = round % 2 == 0;
            _bisect(id, tell ? traceProver.state(m) : keccak256(abi.encode("lie", m)));
            _answer(id, tell, traceProver.state(m));
        }
        vm.prank(ALICE);
        game.prove(id, abi.encode(game.game(id).lo));
        assertEq(_status(id), 3, "the challenger won");
        _withdraw(ALICE);
    }

    function test_gas_timeout() public {
        bytes32 id = _challenge(ALICE, claim, traceProver.state(STEPS));
        _bisect(id, keccak256("mid"));
        vm.roll(block.number + CLOCK);
        game.timeout(id);
    }

    function test_gas_abandon() public {
        bytes32 a = _challenge(ALICE, claim, traceProver.state(STEPS));
        bytes32 b = _challenge(BOB, claim, traceProver.state(STEPS));
        _bisect(b, keccak256("mid"));
        vm.roll(block.number + CLOCK);
        game.timeout(a);
        game.abandon(b);
    }
}
