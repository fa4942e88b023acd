using Rollup.Execution.State.Ordered;
using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>One leaf of a market step's witness: from a sparse Merkle input tree, or from one of the market's ordered trees.</summary>
public abstract record MarketWitnessLeaf
{
    public sealed record Input(StepLeaf Leaf) : MarketWitnessLeaf;

    public sealed record Ordered(OrderedStepLeaf Leaf) : MarketWitnessLeaf;
}

/// <summary>Leaves from a witness, in order, each checked against the root the step names: the verifier's view.</summary>
public sealed class MarketWitnessSource(IReadOnlyList<MarketWitnessLeaf> witness) : IMarketLeafSource
{
    private int _next;

    public StepLeaf ReadInput(StepTree tree, in Hash256 root, in Hash256 key)
    {
        if (Next(tree.ToString()) is not MarketWitnessLeaf.Input { Leaf: var leaf })
        {
            throw new StepProofException($"witness leaf {_next - 1} is not a leaf of the {tree} tree");
        }
        if (!leaf.Proves(root, key))
        {
            throw new StepProofException($"witness leaf {_next - 1} ({tree}) does not prove its key under the state's root");
        }
        return leaf;
    }

    public OrderedStepLeaf Read(MarketTree tree, in OrderedNode root, in Hash256 key)
    {
        var leaf = NextOrdered(tree);
        if (leaf.Key != key || !leaf.Proves(root))
        {
            throw new StepProofException($"witness leaf {_next - 1} ({tree}) does not prove the step's key under the state's root");
        }
        return leaf;
    }

    public OrderedStepLeaf? ReadEdge(MarketTree tree, in OrderedNode root, bool first)
    {
        if (root.IsEmpty)
        {
            return null;
        }
        var leaf = NextOrdered(tree);
        if (!leaf.IsPresent || !leaf.Proves(root) || !(first ? leaf.Proof.IsLeftmost(leaf.Key) : leaf.Proof.IsRightmost(leaf.Key)))
        {
            throw new StepProofException($"witness leaf {_next - 1} ({tree}) is not the tree's {(first ? "first" : "last")} leaf");
        }
        return leaf;
    }

    public OrderedNode Write(MarketTree tree, OrderedStepLeaf read, in Hash256 key, byte[]? record, ulong size) => read.RootAfter(key, record, size);

    public void WroteOutbox(in Hash256 key, byte[] record, in Hash256 newRoot)
    {
    }

    public void RequireAllRead()
    {
        if (_next != witness.Count)
        {
            throw new StepProofException($"the witness has {witness.Count} leaves, the step read {_next}");
        }
    }

    private OrderedStepLeaf NextOrdered(MarketTree tree) =>
        Next(tree.ToString()) is MarketWitnessLeaf.Ordered { Leaf: var leaf }
            ? leaf
            : throw new StepProofException($"witness leaf {_next - 1} is not a leaf of the {tree} tree");

    private MarketWitnessLeaf Next(string what)
    {
        if (_next >= witness.Count)
        {
            throw new StepProofException($"the witness ends before leaf {_next} ({what})");
        }
        return witness[_next++];
    }
}
