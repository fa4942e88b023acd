// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// For the L1 client tests (compiled by solc-js at test time): an event with indexed and plain fields,
/// arrays of dynamic structs in and out, and each kind of revert.
contract Probe {
    struct Entry {
        uint64 id;
        bytes note;
        address who;
    }

    event Noted(uint64 indexed id, address indexed who, bytes32 tag, uint256 amount, bytes note);

    error TooLarge(uint64 given, uint64 limit);

    uint64 public count;

    constructor(uint64 start) {
        if (start > 1000) revert TooLarge(start, 1000);
        count = start;
    }

    function note(uint64 id, bytes32 tag, uint256 amount, bytes calldata data) external {
        count += 1;
        emit Noted(id, msg.sender, tag, amount, data);
    }

    /// Solidity decodes the arguments and encodes them again as its return values.
    function echo(Entry[] calldata entries, string calldata label, int64 delta) external pure returns (Entry[] memory, string memory, int64) {
        return (entries, label, delta);
    }

    function check(uint64 x) external pure returns (uint64) {
        if (x > 10) revert TooLarge(x, 10);
        return x;
    }

    function fail(string calldata message) external pure {
        revert(message);
    }

    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }
}
