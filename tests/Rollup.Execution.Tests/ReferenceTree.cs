using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Tests;

/// <summary>
/// The sparse Merkle tree of docs/state.md written top down from its rules, on raw bytes, for tests to hold the
/// engine's trees to: empty is zero, one leaf is keccak(0x00 ‖ key ‖ value), more split on bit <c>depth</c> under
/// keccak(0x01 ‖ left ‖ right).
/// </summary>
internal static class ReferenceTree
{
    public static byte[] Root(List<(byte[] Key, byte[] Value)> leaves, int depth = 0)
    {
        if (leaves.Count == 0)
        {
            return new byte[32];
        }
        if (leaves.Count == 1)
        {
            return Keccak256.Compute([0x00, .. leaves[0].Key, .. leaves[0].Value]).ToArray();
        }
        var left = leaves.Where(l => (l.Key[depth / 8] & (0x80 >> (depth % 8))) == 0).ToList();
        var right = leaves.Where(l => (l.Key[depth / 8] & (0x80 >> (depth % 8))) != 0).ToList();
        return Keccak256.Compute([0x01, .. Root(left, depth + 1), .. Root(right, depth + 1)]).ToArray();
    }
}
