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
    /// <summary>(siblings (hash, count, size)[], endsInLeaf, leafKey, leafValueHash, leafSize, deepestSiblingKey, deepestSiblingValueHash).</summary>
    public static object[] Encode(OrderedMerkleProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var siblings = new List<object[]>(proof.Siblings.Count);
        foreach (var node in proof.Siblings)
        {
            siblings.Add([node.Hash.ToArray(), node.Count, new BigInteger(node.Size)]);
        }
        var leaf = proof.Leaf;
        return
        [
            siblings,
            leaf is not null,
            (leaf?.Key ?? Hash256.Zero).ToArray(),
            (leaf?.ValueHash ?? Hash256.Zero).ToArray(),
            new BigInteger(leaf?.Size ?? 0),
            proof.DeepestSiblingKey.ToArray(),
            proof.DeepestSiblingValueHash.ToArray(),
        ];
    }
}
