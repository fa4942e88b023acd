// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {ReplayWindow} from "./ReplayWindow.sol";
import {TxStatus} from "./TxStatus.sol";

/// @notice The account record and what its free balance may pay for (docs/state.md, "Held credits"; the engine's
/// StateRecords, HeldCredits and AccountFunds): i64 free ‖ u64 highest nonce ‖ u64 used bitmap, and while margin
/// replies are held, u8 k ‖ k × (u32 market ‖ u64 block ‖ i64 amount), markets ascending, 1 ≤ k ≤ 8.
library AccountRecord {
    uint256 internal constant BASE_LENGTH = 24;
    uint256 internal constant HELD_LENGTH = 20;
    uint256 internal constant MAX_MARKETS = 8;

    struct Account {
        int64 balance;
        uint64 highest;
        uint64 used;
        uint256 count;
        uint32[8] markets;
        uint64[8] blocks;
        int64[8] amounts;
    }

    /// @notice The record's fields; ok is false for a record the accounts tree cannot hold. An empty record is a
    /// fresh account.
    function decode(bytes calldata r) internal pure returns (Account memory a, bool ok) {
        if (r.length == 0) return (a, true);
        if (r.length < BASE_LENGTH) return (a, false);
        a.balance = int64(uint64(_read(r, 0, 8)));
        a.highest = uint64(_read(r, 8, 8));
        a.used = uint64(_read(r, 16, 8));
        if (!ReplayWindow.isReachable(a.highest, a.used)) return (a, false);
        if (r.length == BASE_LENGTH) return (a, true);
        uint256 k = uint8(r[BASE_LENGTH]);
        if (k == 0 || k > MAX_MARKETS || r.length != BASE_LENGTH + 1 + k * HELD_LENGTH) return (a, false);
        for (uint256 i = 0; i < k; i++) {
            uint256 pos = BASE_LENGTH + 1 + i * HELD_LENGTH;
            a.markets[i] = uint32(_read(r, pos, 4));
            a.blocks[i] = uint64(_read(r, pos + 4, 8));
            a.amounts[i] = int64(uint64(_read(r, pos + 12, 8)));
            if (a.amounts[i] < 0 || (i > 0 && a.markets[i] <= a.markets[i - 1])) return (a, false);
        }
        a.count = k;
        return (a, true);
    }

    function hash(Account memory a) internal pure returns (bytes32) {
        bytes memory r = abi.encodePacked(a.balance, a.highest, a.used);
        if (a.count == 0) return keccak256(r);
        r = abi.encodePacked(r, uint8(a.count));
        for (uint256 i = 0; i < a.count; i++) {
            r = abi.encodePacked(r, a.markets[i], a.blocks[i], a.amounts[i]);
        }
        return keccak256(r);
    }

    /// @notice A withdrawal of `amount` in block `blockNumber`: unheld funds first, then the held entries in market order.
    /// `drawnFrom` is what its withdrawals leaf carries after account ‖ amount (docs/state.md, "Trees"): empty if
    /// it drew on no held credit, else u8 k ‖ k × (u32 market ‖ u64 block) of the entries it took from.
    function withdraw(Account memory a, uint64 amount, uint64 blockNumber)
        internal
        pure
        returns (uint8 status, bytes memory drawnFrom)
    {
        status = _debitable(a, amount);
        if (status != TxStatus.ACCEPTED) return (status, drawnFrom);
        int64 drawn = _drawnFromHeld(a, int64(amount));
        a.balance -= int64(amount);
        if (drawn == 0) return (status, drawnFrom);
        uint8 k;
        for (uint256 i = 0; i < a.count && drawn > 0; i++) {
            int64 taken = drawn < a.amounts[i] ? drawn : a.amounts[i];
            if (taken == 0) continue;
            drawnFrom = abi.encodePacked(drawnFrom, a.markets[i], a.blocks[i]);
            k++;
            a.amounts[i] -= taken;
            drawn -= taken;
        }
        _prune(a, blockNumber);
        return (status, abi.encodePacked(k, drawnFrom));
    }

    /// @notice A transfer of `amount` into `market`: unheld funds, then only that market's own held entry.
    function transferIn(Account memory a, uint32 market, uint64 amount, uint64 blockNumber) internal pure returns (uint8) {
        uint8 status = _debitable(a, amount);
        if (status != TxStatus.ACCEPTED) return status;
        (bool found, uint256 pos) = _indexOf(a, market);
        int64 drawn = _drawnFromHeld(a, int64(amount));
        if (drawn > (found ? a.amounts[pos] : int64(0))) return TxStatus.FUNDS_HELD;
        if (!_canHold(a, found, blockNumber)) return TxStatus.HELD_IN_TOO_MANY_MARKETS;
        a.balance -= int64(amount);
        if (drawn > 0) a.amounts[pos] -= drawn;
        _prune(a, blockNumber);
        _reserve(a, market, blockNumber);
        return TxStatus.ACCEPTED;
    }

    /// @notice A transfer out of `market`: its entry kept live through the block for the reply.
    function transferOut(Account memory a, uint32 market, uint64 blockNumber) internal pure returns (uint8) {
        (bool found,) = _indexOf(a, market);
        if (!_canHold(a, found, blockNumber)) return TxStatus.HELD_IN_TOO_MANY_MARKETS;
        _prune(a, blockNumber);
        _reserve(a, market, blockNumber);
        return TxStatus.ACCEPTED;
    }

    /// @notice A margin reply's credit from `market`: free and held; false if it can be held nowhere (nothing credited).
    function credit(Account memory a, uint32 market, uint64 blockNumber, int64 amount) internal pure returns (bool) {
        _prune(a, blockNumber);
        (bool found, uint256 pos) = _indexOf(a, market);
        if (found) {
            if (blockNumber > a.blocks[pos]) a.blocks[pos] = blockNumber;
            a.amounts[pos] += amount;
        } else {
            if (a.count >= MAX_MARKETS) return false;
            _insert(a, market, blockNumber, amount);
        }
        a.balance += amount;
        return true;
    }

    function _debitable(Account memory a, uint64 amount) private pure returns (uint8) {
        if (amount == 0) return TxStatus.ZERO_AMOUNT;
        if (a.balance < 0 || amount > uint64(a.balance)) return TxStatus.INSUFFICIENT_BALANCE;
        return TxStatus.ACCEPTED;
    }

    /// What of `amount` the unheld funds (free minus held, none if held exceeds free) do not cover.
    function _drawnFromHeld(Account memory a, int64 amount) private pure returns (int64) {
        int64 held;
        for (uint256 i = 0; i < a.count; i++) {
            held += a.amounts[i];
        }
        int64 unheld = a.balance > held ? a.balance - held : int64(0);
        return amount > unheld ? amount - unheld : int64(0);
    }

    function _canHold(Account memory a, bool found, uint64 blockNumber) private pure returns (bool) {
        if (found) return true;
        uint256 live;
        for (uint256 i = 0; i < a.count; i++) {
            if (a.amounts[i] > 0 || a.blocks[i] == blockNumber) live++;
        }
        return live < MAX_MARKETS;
    }

    function _reserve(Account memory a, uint32 market, uint64 blockNumber) private pure {
        (bool found, uint256 pos) = _indexOf(a, market);
        if (found) a.blocks[pos] = blockNumber;
        else _insert(a, market, blockNumber, 0);
    }

    /// Drops the entries that are not live in `blockNumber`: amount 0 and an earlier block.
    function _prune(Account memory a, uint64 blockNumber) private pure {
        uint256 kept;
        for (uint256 i = 0; i < a.count; i++) {
            if (a.amounts[i] > 0 || a.blocks[i] == blockNumber) {
                a.markets[kept] = a.markets[i];
                a.blocks[kept] = a.blocks[i];
                a.amounts[kept] = a.amounts[i];
                kept++;
            }
        }
        a.count = kept;
    }

    function _indexOf(Account memory a, uint32 market) private pure returns (bool, uint256) {
        for (uint256 i = 0; i < a.count; i++) {
            if (a.markets[i] == market) return (true, i);
        }
        return (false, 0);
    }

    function _insert(Account memory a, uint32 market, uint64 blockNumber, int64 amount) private pure {
        uint256 pos = a.count;
        while (pos > 0 && a.markets[pos - 1] > market) {
            a.markets[pos] = a.markets[pos - 1];
            a.blocks[pos] = a.blocks[pos - 1];
            a.amounts[pos] = a.amounts[pos - 1];
            pos--;
        }
        a.markets[pos] = market;
        a.blocks[pos] = blockNumber;
        a.amounts[pos] = amount;
        a.count += 1;
    }

    function _read(bytes calldata r, uint256 position, uint256 size) private pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := shr(sub(256, mul(size, 8)), calldataload(add(r.offset, position)))
        }
    }
}
