namespace Rollup.Execution.State.Ordered;

/// <summary>A node an ordered tree holds: a leaf, or an inner node with what it knows of its two children.</summary>
internal readonly struct OrderedStoredNode
{
    private OrderedStoredNode(bool isLeaf, OrderedLeaf leaf, OrderedNode left, OrderedNode right)
    {
        IsLeaf = isLeaf;
        Leaf = leaf;
        Left = left;
        Right = right;
    }

    public bool IsLeaf { get; }

    public OrderedLeaf Leaf { get; }

    public OrderedNode Left { get; }

    public OrderedNode Right { get; }

    public static OrderedStoredNode OfLeaf(in OrderedLeaf leaf) => new(true, leaf, default, default);

    public static OrderedStoredNode OfInner(in OrderedNode left, in OrderedNode right) => new(false, default, left, right);

    /// <summary>The child on side <paramref name="bit"/> (0 left, 1 right) of an inner node.</summary>
    public OrderedNode Child(int bit) => bit == 0 ? Left : Right;

    /// <summary>This inner node with its child on side <paramref name="bit"/> replaced.</summary>
    public OrderedStoredNode WithChild(int bit, in OrderedNode child) => bit == 0 ? OfInner(child, Right) : OfInner(Left, child);

    public OrderedNode Summary() => IsLeaf ? Leaf.Node : OrderedNode.Inner(Left, Right);
}
