using Rollup.Primitives;

namespace Rollup.Execution.State.Ordered;

/// <summary>Why a proof of an ordered tree is refused; each is a custom error of the same name in OrderedTree.sol.</summary>
public enum OrderedProofError
{
    /// <summary>More than 256 siblings: no key has a longer path.</summary>
    ProofTooDeep,

    /// <summary>Another key's leaf ends the path but does not share the key's first d bits.</summary>
    LeafOffPath,

    /// <summary>The deepest sibling is empty under a leaf, or holds fewer than two leaves under an empty ending.</summary>
    NonCanonicalEnd,

    /// <summary>The deepest sibling is a lone leaf whose key and value hash do not hash to it.</summary>
    DeepestSiblingLeafMismatch,

    /// <summary>A delete needs the path to end in the key's own leaf.</summary>
    NotAnInclusionProof,

    /// <summary>A sum of counts exceeds 2^32−1.</summary>
    CountOverflow,

    /// <summary>A sum of sizes exceeds 2^64−1.</summary>
    SizeOverflow,
}

/// <summary>A proof that cannot say what it was asked (see <see cref="OrderedProofError"/>).</summary>
public sealed class InvalidOrderedProofException(OrderedProofError error, Hash256 key)
    : Exception($"ordered tree proof for key {key} refused: {error}")
{
    public OrderedProofError Error { get; } = error;
}
