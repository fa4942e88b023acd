// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {StepsTest} from "./lib/StepsTest.sol";
import {OrderedTree} from "../../src/steps/OrderedTree.sol";
import {OrderedTreeHarness, OrderedTreeRules as R} from "./OrderedTreeHarness.t.sol";

/// The gas of each use of the library alone (measured inside the harness, so without the call and the ABI decoding of
/// the proof) on paths 20, 64 and 128 deep: a book of about a million orders has paths of ~20 where keys look random,
/// and raw price ‖ order id keys put the leaves 64 to 128 deep. `forge test -vv --match-contract OrderedTreeGas`
/// prints them. The siblings are made up, the deepest one a lone leaf, and the root is what they fold to.
contract OrderedTreeGasTest is StepsTest {
    OrderedTreeHarness internal h;
    uint256 internal seed;

    bytes32 internal constant KEY = bytes32(uint256(0x00000000002dc6c0_0000000000001234) << 128);
    bytes32 internal constant VALUE = keccak256("order record");
    uint64 internal constant SIZE = 25;

    function setUp() public {
        h = new OrderedTreeHarness();
    }

    function test_gasDepth20() public {
        measure(20);
    }

    function test_gasDepth64() public {
        measure(64);
    }

    function test_gasDepth128() public {
        measure(128);
    }

    function measure(uint256 depth) internal {
        (OrderedTree.Proof memory p, bytes32 root) = deepPath(depth);
        string memory d = string.concat("depth ", vm.toString(depth), ": ");
        emit log_named_uint(string.concat(d, "proof calldata bytes"), abi.encode(p).length);
        emit log_named_uint(string.concat(d, "verify present"), h.gasVerifyPresent(root, p, KEY, VALUE, SIZE));
        emit log_named_uint(string.concat(d, "update (root before and after)"), h.gasWrite(root, p, KEY, VALUE, SIZE + 1));
        // A new key whose path ends in KEY's leaf and parts from it at once.
        bytes32 beside = bytes32(uint256(KEY) ^ (uint256(1) << (255 - depth)));
        emit log_named_uint(string.concat(d, "insert beside a leaf"), h.gasWrite(root, p, beside, VALUE, SIZE));
        emit log_named_uint(string.concat(d, "delete (sibling leaf rises)"), h.gasDelete(root, p, KEY));
        emit log_named_uint(string.concat(d, "prefix count and size"), h.gasPrefix(p, KEY));
        emit log_named_uint(string.concat(d, "is leftmost"), h.gasLeftmost(p, KEY));
    }

    /// KEY's leaf `depth` deep: made-up inner siblings above a lone leaf beside it at the bottom.
    function deepPath(uint256 depth) internal returns (OrderedTree.Proof memory p, bytes32 root) {
        R.N[] memory siblings = new R.N[](depth);
        for (uint256 i = 0; i + 1 < depth; i++) {
            uint256 r = uint256(keccak256(abi.encode(++seed)));
            siblings[i] = R.N(bytes32(r), 2 + r % 1000, r % 1e12);
        }
        bytes32 siblingKey = bytes32(uint256(KEY) ^ (uint256(1) << (256 - depth)));
        siblings[depth - 1] = R.leaf(siblingKey, keccak256("sibling"), 7);
        p = R.endingIn(siblings, KEY, VALUE, SIZE);
        (p.deepestSiblingKey, p.deepestSiblingValueHash) = (siblingKey, keccak256("sibling"));
        R.N memory n = R.leaf(KEY, VALUE, SIZE);
        for (uint256 i = depth; i > 0; i--) {
            bool right = (uint256(KEY) >> (256 - i)) & 1 == 1;
            n = right ? R.inner(siblings[i - 1], n) : R.inner(n, siblings[i - 1]);
        }
        root = n.hash;
    }
}
