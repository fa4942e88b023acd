using Rollup.Primitives;

namespace Rollup.Execution.State.Ordered;

/// <summary>Why a proof of an ordered tree is refused; each is a custom error of the same name in OrderedTree.sol.</summary>
public enum OrderedProofError
{
    /// <summary>More than 256 steps: no key has a longer path.</summary>
    ProofTooDeep,

    /// <summary>A step's bit is not greater than the bit of the step above it.</summary>
    BitsOutOfOrder,

    /// <summary>A step's sibling is empty: no inner node has an empty child.</summary>
    EmptySibling,

    /// <summary>Steps without a leaf: only the empty tree's path ends in nothing.</summary>
    MissingLeaf,

    /// <summary>The leaf ending the path has, at some step's bit, the other value than the key: it is not on the key's path.</summary>
    LeafOffPath,

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
