using Rollup.Primitives;

namespace Rollup.Execution.State.Merkle;

public enum MerkleNodeKind : byte
{
    Empty = 0,
    Leaf = 1,
    Inner = 2,
}

/// <summary>
/// A stored node: a leaf (its key and value hash) or an inner node (its children's hashes).
/// Encoded as 1 kind byte then two 32-byte hashes.
/// </summary>
public readonly struct MerkleNode
{
    public const int EncodedLength = 1 + (2 * Hash256.Length);

    private MerkleNode(MerkleNodeKind kind, Hash256 first, Hash256 second)
    {
        Kind = kind;
        First = first;
        Second = second;
    }

    public MerkleNodeKind Kind { get; }

    /// <summary>The leaf's key, or the left child's hash.</summary>
    public Hash256 First { get; }

    /// <summary>The leaf's value hash, or the right child's hash.</summary>
    public Hash256 Second { get; }

    public static MerkleNode Leaf(in Hash256 key, in Hash256 valueHash) => new(MerkleNodeKind.Leaf, key, valueHash);

    public static MerkleNode Inner(in Hash256 left, in Hash256 right) => new(MerkleNodeKind.Inner, left, right);

    public Hash256 Hash() => Kind switch
    {
        MerkleNodeKind.Leaf => MerkleHashing.Leaf(First, Second),
        MerkleNodeKind.Inner => MerkleHashing.Node(First, Second),
        _ => Hash256.Zero,
    };

    public void Encode(Span<byte> destination)
    {
        destination[0] = (byte)Kind;
        First.CopyTo(destination[1..]);
        Second.CopyTo(destination[33..]);
    }

    public static bool TryDecode(ReadOnlySpan<byte> source, out MerkleNode node)
    {
        node = default;
        if (source.Length != EncodedLength || source[0] is not ((byte)MerkleNodeKind.Leaf or (byte)MerkleNodeKind.Inner))
        {
            return false;
        }
        node = new MerkleNode((MerkleNodeKind)source[0], new Hash256(source.Slice(1, 32)), new Hash256(source.Slice(33, 32)));
        return true;
    }
}
