using Rollup.Execution.Blocks;
using Rollup.Execution.State.Ordered;
using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// Builds a market domain's trace of a batch by running <see cref="MarketStepFunction"/> on whole trees, recording
/// for each step the leaves it read (its witness). It keeps the market's trees between batches, so the batches of a
/// chain are traced in order from the market as it stood before the first (or from nothing, for a market created in
/// the chain). Its inputs are the batch's blocks and the accounts domain's trace of the same batch, whose outbox holds
/// the transactions routed to the market.
/// </summary>
public sealed class MarketTraceBuilder
{
    private readonly MarketDomainTrees _trees;
    private readonly int _bookOps;
    private readonly int _cancels;
    private MarketState _state;

    public MarketTraceBuilder(uint market, MarketDomainTrees? start, int bookOpsPerStep = MarketStepContext.DefaultBookOps, int cancelsPerStep = MarketStepContext.DefaultCancels)
    {
        _trees = start?.Clone() ?? new MarketDomainTrees();
        _bookOps = bookOpsPerStep;
        _cancels = cancelsPerStep;
        _state = new MarketState
        {
            Market = market,
            Record = _trees.Record,
            Positions = _trees.Positions.Root,
            Bids = _trees.Bids.Root,
            Asks = _trees.Asks.Root,
            Longs = _trees.Longs.Root,
            Shorts = _trees.Shorts.Root,
        };
    }

    /// <summary>The market's state after the last traced batch.</summary>
    public MarketState State => _state;

    /// <summary>The market's trees after the last traced batch.</summary>
    public MarketDomainTrees Trees => _trees;

    /// <summary>Traces the market through a batch; the inputs are the batch's, shared by all of its markets.</summary>
    public MarketTrace Trace(MarketBatchInputs batch)
    {
        var steps = new List<MarketStep>();
        var (context, start, end, _) = Run(batch, steps);
        return new MarketTrace(context, start, end, steps);
    }

    /// <summary>
    /// The market's claim for a batch (its start, its end and the steps between) from the same run as
    /// <see cref="Trace"/>, without keeping the steps or their witnesses: what a poster or a validator computes.
    /// </summary>
    public DomainClaim Claim(MarketBatchInputs batch)
    {
        var (_, start, end, count) = Run(batch, null);
        return new DomainClaim(start.Hash(), end.Hash(), count);
    }

    private (MarketStepContext Context, MarketState Start, MarketState End, ulong Steps) Run(MarketBatchInputs batch, List<MarketStep>? steps)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var context = new MarketStepContext(batch.Trees.Transactions.Root, batch.Trees.Blocks.Root, batch.Routed.Root, _bookOps, _cancels);
        var source = new TreeLeafSource(_trees, batch.Trees, batch.Routed, keepWitness: steps is not null);
        var start = _state.StartOfBatch(batch.FirstBlock);
        var state = start;
        var count = 0UL;
        var lastBlock = batch.LastBlock;
        while (!(state.Block == lastBlock && state.Phase == MarketPhase.BlockStart))
        {
            source.BeginStep();
            var post = MarketStepFunction.Apply(state, context, source, out var outcome);
            steps?.Add(new MarketStep((int)count, outcome.Kind, state, post, source.Witness(), outcome));
            count++;
            state = post;
        }
        _trees.Record = state.Record;
        _state = state;
        return (context, start, state, count);
    }

    /// <summary>The leaves of the market's trees and of the batch's inputs, proven from whole trees; writes applied.</summary>
    private sealed class TreeLeafSource(MarketDomainTrees trees, BatchInputTrees inputs, StepRecordTree routed, bool keepWitness) : IMarketLeafSource
    {
        private readonly StepRecordTree _outbox = new();
        private List<MarketWitnessLeaf> _witness = [];

        public void BeginStep()
        {
            if (keepWitness)
            {
                _witness = [];
            }
        }

        public MarketWitnessLeaf[] Witness() => [.. _witness];

        public StepLeaf ReadInput(StepTree tree, in Hash256 root, in Hash256 key)
        {
            var whole = tree switch
            {
                StepTree.Transactions => inputs.Transactions,
                StepTree.Blocks => inputs.Blocks,
                StepTree.Outbox => routed,
                StepTree.MarketOutbox => _outbox,
                _ => throw new InvalidOperationException($"a market step reads no {tree} tree"),
            };
            if (whole.Root != root)
            {
                throw new InvalidOperationException($"the {tree} tree's root {whole.Root} is not the step's {root}");
            }
            var leaf = whole.Prove(key);
            Keep(new MarketWitnessLeaf.Input(leaf));
            return leaf;
        }

        public OrderedStepLeaf Read(MarketTree tree, in OrderedNode root, in Hash256 key)
        {
            var whole = Whole(tree, root);
            var leaf = whole.Prove(key);
            Keep(new MarketWitnessLeaf.Ordered(leaf));
            return leaf;
        }

        public OrderedStepLeaf? ReadEdge(MarketTree tree, in OrderedNode root, bool first)
        {
            var leaf = Whole(tree, root).ProveEdge(first);
            if (leaf is not null)
            {
                Keep(new MarketWitnessLeaf.Ordered(leaf));
            }
            return leaf;
        }

        public OrderedNode Write(MarketTree tree, OrderedStepLeaf read, in Hash256 key, byte[]? record, ulong size)
        {
            var whole = trees.Tree(tree);
            if (record is null)
            {
                whole.Remove(key);
            }
            else
            {
                whole.Set(key, record, size);
            }
            return whole.Root;
        }

        public void WroteOutbox(in Hash256 key, byte[] record, in Hash256 newRoot)
        {
            _outbox.Put(key, record);
            if (_outbox.Root != newRoot)
            {
                throw new InvalidOperationException("the market outbox's root after a write is not the proof's");
            }
        }

        private void Keep(MarketWitnessLeaf leaf)
        {
            if (keepWitness)
            {
                _witness.Add(leaf);
            }
        }

        private OrderedRecordTree Whole(MarketTree tree, in OrderedNode root)
        {
            var whole = trees.Tree(tree);
            if (whole.Root != root)
            {
                throw new InvalidOperationException($"the {tree} tree's root {whole.Root.Hash} is not the step's {root.Hash}");
            }
            return whole;
        }
    }
}
