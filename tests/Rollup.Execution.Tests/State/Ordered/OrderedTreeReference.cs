using System.Buffers.Binary;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Tests.State.Ordered;

/// <summary>
/// An ordered tree built top-down from its whole leaf set, straight from the rules and sharing no code with the
/// tree: empty is (0, 0, 0), one leaf is keccak256(0x00 ‖ key ‖ valueHash ‖ u64 size), otherwise the leaves split
/// on the first bit b where they do not all agree under keccak256(0x01 ‖ u8 b ‖ left ‖ right ‖ u32 count ‖ u64 size).
/// </summary>
internal static class OrderedTreeReference
{
    public readonly record struct Node(Hash256 Hash, uint Count, ulong Size);

    /// <summary>The root and the number of non-empty nodes the tree has.</summary>
    public static (Node Root, int Nodes) Build(IEnumerable<(Hash256 Key, Hash256 ValueHash, ulong Size)> leaves)
    {
        var nodes = 0;
        var root = Build(leaves.ToList(), 0, ref nodes);
        return (root, nodes);
    }

    public static Hash256 LeafHash(Hash256 key, Hash256 valueHash, ulong size)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, size);
        return Keccak256.Compute([0x00, .. key.Bytes, .. valueHash.Bytes, .. bytes]);
    }

    public static Node Inner(int bit, Node left, Node right)
    {
        var count = checked(left.Count + right.Count);
        var size = checked(left.Size + right.Size);
        var tail = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(tail, count);
        BinaryPrimitives.WriteUInt64BigEndian(tail.AsSpan(4), size);
        return new Node(Keccak256.Compute([0x01, (byte)bit, .. left.Hash.Bytes, .. right.Hash.Bytes, .. tail]), count, size);
    }

    public static Node Leaf(Hash256 key, Hash256 valueHash, ulong size) => new(LeafHash(key, valueHash, size), 1, size);

    public static int BitOf(Hash256 key, int depth) => (key.Bytes[depth / 8] & (0x80 >> (depth % 8))) != 0 ? 1 : 0;

    private static Node Build(List<(Hash256 Key, Hash256 ValueHash, ulong Size)> leaves, int depth, ref int nodes)
    {
        if (leaves.Count == 0)
        {
            return default;
        }
        nodes++;
        if (leaves.Count == 1)
        {
            return Leaf(leaves[0].Key, leaves[0].ValueHash, leaves[0].Size);
        }
        var left = leaves.Where(l => BitOf(l.Key, depth) == 0).ToList();
        var right = leaves.Where(l => BitOf(l.Key, depth) == 1).ToList();
        if (left.Count == 0 || right.Count == 0)
        {
            nodes--;
            return Build(leaves, depth + 1, ref nodes);
        }
        return Inner(depth, Build(left, depth + 1, ref nodes), Build(right, depth + 1, ref nodes));
    }
}
