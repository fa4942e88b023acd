namespace Rollup.Execution.State.Ordered;

/// <summary>A node an ordered tree holds: a leaf, or an inner node with its split bit, its two children and its summary.</summary>
internal sealed class OrderedTreeNode
{
    private OrderedTreeNode(OrderedLeaf leaf)
    {
        Leaf = leaf;
        Summary = leaf.Node;
    }

    private OrderedTreeNode(byte bit, OrderedTreeNode left, OrderedTreeNode right)
    {
        Bit = bit;
        Left = left;
        Right = right;
        Summary = OrderedNode.Inner(bit, left.Summary, right.Summary);
    }

    private OrderedTreeNode(OrderedTreeNode original)
    {
        Leaf = original.Leaf;
        Bit = original.Bit;
        Summary = original.Summary;
        Left = original.Left?.Copy();
        Right = original.Right?.Copy();
    }

    public bool IsLeaf => Left is null;

    public OrderedLeaf Leaf { get; private set; }

    public byte Bit { get; }

    public OrderedTreeNode? Left { get; private set; }

    public OrderedTreeNode? Right { get; private set; }

    /// <summary>What its parent hashes: (hash, count, size).</summary>
    public OrderedNode Summary { get; private set; }

    public static OrderedTreeNode OfLeaf(in OrderedLeaf leaf) => new(leaf);

    /// <summary>The inner node over a new leaf and a subtree whose keys first differ from its key at <paramref name="bit"/>, each on the side its value there gives.</summary>
    public static OrderedTreeNode Joining(byte bit, OrderedTreeNode leaf, OrderedTreeNode other) =>
        OrderedHashing.Bit(leaf.Leaf.Key, bit) == 0 ? new(bit, leaf, other) : new(bit, other, leaf);

    /// <summary>The child on side <paramref name="side"/> (0 left, 1 right) of an inner node.</summary>
    public OrderedTreeNode Child(int side) => side == 0 ? Left! : Right!;

    public void SetChild(int side, OrderedTreeNode child)
    {
        if (side == 0)
        {
            Left = child;
        }
        else
        {
            Right = child;
        }
    }

    public void SetLeaf(in OrderedLeaf leaf)
    {
        Leaf = leaf;
        Summary = leaf.Node;
    }

    /// <summary>Rehashes an inner node after a child changed.</summary>
    public void Refresh() => Summary = OrderedNode.Inner(Bit, Left!.Summary, Right!.Summary);

    /// <summary>A copy of the subtree with its summaries as they are: no hash computed again.</summary>
    public OrderedTreeNode Copy() => new(this);
}
