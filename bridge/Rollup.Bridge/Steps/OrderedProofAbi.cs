using System.Numerics;
using Rollup.Execution.State.Ordered;
using Rollup.Primitives;

namespace Rollup.Bridge.Steps;

/// <summary>
/// An ordered tree's proof as Solidity's <c>OrderedTree.Proof</c> takes it: the one place that knows the struct's
/// fields, so a change of the tree's proof changes only this file and OrderedTree.sol.
/// </summary>
internal static class OrderedProofAbi
{
    /// <summary>(steps (bit, hash, count, size)[], endsInLeaf, leafKey, leafValueHash, leafSize).</summary>
    public static object[] Encode(OrderedMerkleProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var steps = new List<object[]>(proof.Steps.Count);
        foreach (var step in proof.Steps)
        {
            steps.Add([step.Bit, step.Sibling.Hash.ToArray(), step.Sibling.Count, new BigInteger(step.Sibling.Size)]);
        }
        var leaf = proof.Leaf;
        return
        [
            steps,
            leaf is not null,
            (leaf?.Key ?? Hash256.Zero).ToArray(),
            (leaf?.ValueHash ?? Hash256.Zero).ToArray(),
            new BigInteger(leaf?.Size ?? 0),
        ];
    }
}
