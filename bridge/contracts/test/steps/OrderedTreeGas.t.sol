// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {OrderedTree} from "../../src/steps/OrderedTree.sol";
import {OrderedTreeHarness, OrderedTreeRules as R} from "./OrderedTreeHarness.t.sol";

/// The gas of each use of the library alone (measured inside the harness, so without the call and the ABI decoding of
/// the proof) on paths 10, 20 and 40 steps deep: a path-compressed tree of n leaves whose keys spread like a book's has
/// paths of about log2(n) (10 for a thousand orders, 20 for a million), and 40 stands for a skewed one.
/// `forge test -vv --match-contract OrderedTreeGas` prints them. The siblings are made up and the root is what they
/// fold to.
contract OrderedTreeGasTest is StepsTest {
    OrderedTreeHarness internal h;
    uint256 internal seed;

    bytes32 internal constant KEY = bytes32(uint256(0x00000000002dc6c0_0000000000001234) << 128);
    bytes32 internal constant VALUE = keccak256("order record");
    uint64 internal constant SIZE = 25;

    function setUp() public {
        h = new OrderedTreeHarness();
    }

    function test_gasDepth10() public {
        measure(10);
    }

    function test_gasDepth20() public {
        measure(20);
    }

    function test_gasDepth40() public {
        measure(40);
    }

    function measure(uint256 depth) internal {
        (OrderedTree.Proof memory p, bytes32 root) = deepPath(depth);
        string memory d = string.concat("depth ", vm.toString(depth), ": ");
        emit log_named_uint(string.concat(d, "proof calldata bytes"), abi.encode(p).length);
        emit log_named_uint(string.concat(d, "verify present"), h.gasVerifyPresent(root, p, KEY, VALUE, SIZE));
        emit log_named_uint(string.concat(d, "update (root before and after)"), h.gasWrite(root, p, KEY, VALUE, SIZE + 1));
        // A new key whose path ends in KEY's leaf and parts from it below every step: one more inner node at the bottom.
        bytes32 beside = bytes32(uint256(KEY) ^ (uint256(1) << (255 - 2 * depth)));
        emit log_named_uint(string.concat(d, "insert beside a leaf"), h.gasWrite(root, p, beside, VALUE, SIZE));
        emit log_named_uint(string.concat(d, "delete (the sibling takes the parent's place)"), h.gasDelete(root, p, KEY));
        emit log_named_uint(string.concat(d, "prefix count and size"), h.gasPrefix(p, KEY));
        emit log_named_uint(string.concat(d, "is leftmost"), h.gasLeftmost(p, KEY));
    }

    /// KEY's leaf `depth` steps deep, splitting on the even bits 0, 2, …: made-up siblings and the root they fold to.
    function deepPath(uint256 depth) internal returns (OrderedTree.Proof memory p, bytes32 root) {
        OrderedTree.Step[] memory steps = new OrderedTree.Step[](depth);
        R.N[] memory siblings = new R.N[](depth);
        for (uint256 i = 0; i < depth; i++) {
            uint256 r = uint256(keccak256(abi.encode(++seed)));
            siblings[i] = R.N(bytes32(r), 1 + r % 1000, r % 1e12);
            steps[i] = R.step(uint8(2 * i), siblings[i]);
        }
        p = R.endingIn(steps, KEY, VALUE, SIZE);
        R.N memory n = R.leaf(KEY, VALUE, SIZE);
        for (uint256 i = depth; i > 0; i--) {
            uint8 bit = uint8(2 * (i - 1));
            bool right = (uint256(KEY) >> (255 - bit)) & 1 == 1;
            n = right ? R.inner(bit, siblings[i - 1], n) : R.inner(bit, n, siblings[i - 1]);
        }
        root = n.hash;
    }
}
