// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {DisputeFixture} from "./DisputeFixture.sol";
import {Claims} from "../../lib/Claims.sol";
import {Smt} from "../../lib/Smt.sol";
import {IRollupSettlement} from "../../../src/IRollupSettlement.sol";
import {DisputeGame} from "../../../src/disputes/DisputeGame.sol";

/// @notice The settlement with its dispute game set through the time lock (both provers the fixed mock), batches
/// claiming the accounts domain and markets 1 and 2 in one-step claims chained batch to batch, each batch with one
/// withdrawal of 100 to ALICE.
abstract contract FinalityFixture is DisputeFixture {
    uint32 internal constant M1 = 1;
    uint32 internal constant M2 = 2;
    uint64 internal constant PAID = 100;
    bytes32 internal constant LIE = keccak256("the challenger's end");

    /// Each committed batch's three claims, as DomainClaim (accounts, market 1, market 2: key order is not this).
    mapping(uint64 batchIndex => mapping(uint8 slot => IRollupSettlement.DomainClaim)) internal posted;
    mapping(uint64 batchIndex => IRollupSettlement.DomainClaim[]) internal sortedClaims;

    function setUp() public virtual override {
        super.setUp();
        game = _deployBothKinds();
        usdc.mint(address(settlement), 1_000_000);
    }

    function _slot(uint8 kind, uint32 market) internal pure returns (uint8) {
        return kind == ACCOUNTS ? 0 : uint8(market);
    }

    /// A claim's end: made up for a market; for the accounts domain the hash of its opened words (`_accountsWords`).
    function _end(uint64 batchIndex, uint8 slot, uint256 version) internal view returns (bytes32) {
        if (slot == 0) return _endHash(_accountsWords(batchIndex, version));
        return keccak256(abi.encode("end", batchIndex, slot, version));
    }

    /// The accounts end of a batch's claim (each version its own), its withdrawals root the batch's one withdrawal.
    function _accountsWords(uint64 batchIndex, uint256 version) internal view returns (bytes32[17] memory) {
        bytes32 withdrawals = Smt.leaf(settlement.withdrawalKey(batchIndex * 5 + 1, 0), _withdrawalValue());
        return _accountsEndWords(keccak256(abi.encode("end", batchIndex, 0, version)), withdrawals);
    }

    /// The start of a domain's claim in the next batch: its end in the last (its re-posted one if any).
    function _startOf(uint8 slot) internal view returns (bytes32) {
        uint64 n = settlement.nextBatchIndex();
        if (n == 0) return keccak256(abi.encode("genesis", slot));
        return posted[n - 1][slot].end;
    }

    function _withdrawalValue() internal pure virtual returns (bytes32) {
        return keccak256(abi.encodePacked(ALICE, PAID));
    }

    /// Commits the next batch: the three domains, one step each, chained; the withdrawal (l2Block = first block,
    /// txIndex 0) alone in its withdrawals root.
    function _commitBatch() internal returns (uint64 batchIndex) {
        batchIndex = settlement.nextBatchIndex();
        IRollupSettlement.DomainClaim[] memory claims = new IRollupSettlement.DomainClaim[](3);
        claims[0] = IRollupSettlement.DomainClaim(ACCOUNTS, 0, _startOf(0), _end(batchIndex, 0, 0), 1);
        claims[1] = IRollupSettlement.DomainClaim(MARKET, M1, _startOf(1), _end(batchIndex, 1, 0), 1);
        claims[2] = IRollupSettlement.DomainClaim(MARKET, M2, _startOf(2), _end(batchIndex, 2, 0), 1);
        for (uint8 i = 0; i < 3; i++) {
            posted[batchIndex][i] = claims[i];
        }
        claims = Claims.sorted(claims);
        for (uint256 i = 0; i < 3; i++) {
            sortedClaims[batchIndex].push(claims[i]);
        }
        uint64 first = settlement.nextL2Block();
        bytes32 withdrawals = Smt.leaf(settlement.withdrawalKey(first, 0), _withdrawalValue());
        IRollupSettlement.Commitment memory k = _nextCommitment(keccak256(abi.encode("state", batchIndex)), withdrawals, 5, 0);
        _setNextClaims(claims);
        k.claimsRoot = Claims.root(claims);
        _commit(k);
    }

    /// The claim as a challenger names it: its siblings in the batch's claims root, or none once re-posted.
    function _claimOf(uint64 batchIndex, uint8 kind, uint32 market) internal view returns (Claim memory c) {
        IRollupSettlement.DomainClaim memory d = posted[batchIndex][_slot(kind, market)];
        (, uint32 version,,) = settlement.claimState(batchIndex, kind, market);
        bytes32[] memory siblings =
            version > 0 ? new bytes32[](0) : Claims.proof(sortedClaims[batchIndex], kind, market);
        c = Claim(batchIndex, kind, market, d.start, d.end, d.steps, siblings);
    }

    function _status(uint64 batchIndex, uint8 kind, uint32 market) internal view returns (uint256) {
        return uint256(settlement.claimStatus(batchIndex, kind, market));
    }

    /// Claims the batch's withdrawal against its accounts claim as it stands (re-posted: no siblings, its version's end).
    function _withdrawBatch(uint64 batchIndex) internal {
        _withdrawBatch(batchIndex, new IRollupSettlement.HeldDraw[](0));
    }

    /// The same, the leaf's held credits `drawn` given (a fixture whose _withdrawalValue carries them).
    function _withdrawBatch(uint64 batchIndex, IRollupSettlement.HeldDraw[] memory drawn) internal {
        IRollupSettlement.AccountsEnd memory accounts = _accountsEndOf(batchIndex);
        settlement.claimWithdrawal(batchIndex, batchIndex * 5 + 1, 0, ALICE, PAID, drawn, new bytes32[](0), accounts);
    }

    /// The claim of the batch's withdrawal refused with `refusal` (the arguments read before the expectation is set).
    function _expectWithdrawalRefused(uint64 batchIndex, bytes memory refusal) internal {
        _expectWithdrawalRefused(batchIndex, new IRollupSettlement.HeldDraw[](0), refusal);
    }

    function _expectWithdrawalRefused(uint64 batchIndex, IRollupSettlement.HeldDraw[] memory drawn, bytes memory refusal)
        internal
    {
        IRollupSettlement.AccountsEnd memory accounts = _accountsEndOf(batchIndex);
        vm.expectRevert(refusal);
        settlement.claimWithdrawal(batchIndex, batchIndex * 5 + 1, 0, ALICE, PAID, drawn, new bytes32[](0), accounts);
    }

    function _accountsEndOf(uint64 batchIndex) internal view returns (IRollupSettlement.AccountsEnd memory) {
        Claim memory a = _claimOf(batchIndex, ACCOUNTS, 0);
        (, uint32 version,,) = settlement.claimState(batchIndex, ACCOUNTS, 0);
        return IRollupSettlement.AccountsEnd(a.start, a.steps, _accountsWords(batchIndex, version), a.siblings);
    }

    /// A game against the claim, which the challenger then wins (it proves a step to another end than the claim's) or
    /// loses (the step proven to the claim's end).
    function _open(address challenger, uint64 batchIndex, uint8 kind, uint32 market) internal returns (bytes32) {
        return _challenge(challenger, _claimOf(batchIndex, kind, market), LIE);
    }

    function _end(bytes32 id, bool challengerWins) internal {
        _proverFor(id, challengerWins);
        game.prove(id, "");
    }

    /// The mock prover set to end the game as asked (game.prove then does).
    function _proverFor(bytes32 id, bool challengerWins) internal {
        bytes32 pre = game.game(id).agreed;
        fixedProver.set(pre, challengerWins ? LIE : game.game(id).defenderHash);
    }

    /// The domain's claims re-posted from its void batch to the last, new ends (version tag `v`), chained from the
    /// fallen claim's start.
    function _repost(uint8 kind, uint32 market, uint256 v) internal {
        (IRollupSettlement.ReplacedClaim memory replaced, IRollupSettlement.RepostedClaim[] memory claims, uint64 from) =
            _repostArgs(kind, market, v);
        vm.prank(SEQUENCER);
        settlement.repostClaims(kind, market, from, replaced, claims);
        _record(kind, market, from, claims);
    }

    /// The re-posted claims as the fixture's posted ones.
    function _record(uint8 kind, uint32 market, uint64 from, IRollupSettlement.RepostedClaim[] memory claims) internal virtual {
        for (uint256 i = 0; i < claims.length; i++) {
            posted[from + uint64(i)][_slot(kind, market)] =
                IRollupSettlement.DomainClaim(kind, market, claims[i].start, claims[i].end, claims[i].steps);
        }
    }

    function _repostArgs(uint8 kind, uint32 market, uint256 v)
        internal
        view
        returns (IRollupSettlement.ReplacedClaim memory replaced, IRollupSettlement.RepostedClaim[] memory claims, uint64 from)
    {
        from = _voidFrom(kind, market);
        Claim memory fallen = _claimOf(from, kind, market);
        replaced = IRollupSettlement.ReplacedClaim(fallen.end, fallen.steps, fallen.siblings);
        uint64 n = settlement.nextBatchIndex() - from;
        claims = new IRollupSettlement.RepostedClaim[](n);
        bytes32 start = fallen.start;
        for (uint64 i = 0; i < n; i++) {
            claims[i] = IRollupSettlement.RepostedClaim(start, _end(from + i, _slot(kind, market), v), 1);
            start = claims[i].end;
        }
    }

    /// The first fallen batch of the domain, by status (the fixture's batches are few).
    function _voidFrom(uint8 kind, uint32 market) internal view returns (uint64) {
        for (uint64 b = 0; b < settlement.nextBatchIndex(); b++) {
            if (settlement.claimStatus(b, kind, market) == IRollupSettlement.ClaimStatus.Fallen) return b;
        }
        revert("no fallen claim");
    }
}
