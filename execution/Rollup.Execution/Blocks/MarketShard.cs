using System.Runtime.InteropServices;
using Rollup.Execution.Markets;
using Rollup.Execution.Parallel;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;

namespace Rollup.Execution.Blocks;

/// <summary>One market's share of a block: its transactions, its context, its writes and its new root.</summary>
internal sealed class MarketShard(Market market, List<MarketTx> transactions, MarketBlockContext context, StateTree tree, Func<uint, ulong, bool>? injectFault)
{
    public Market Market { get; set; } = market;

    public List<MarketTx> Transactions { get; } = transactions;

    public MarketBlockContext Context { get; } = context;

    public StateTree Tree { get; } = tree;

    public PendingWrites Writes { get; } = new();

    public Hash256 Root { get; set; }

    /// <summary>Set when executing or committing this market threw: the engine contains it in phase C.</summary>
    public Exception? Fault { get; private set; }

    public void Run()
    {
        try
        {
            Market.ExecuteBlock(CollectionsMarshal.AsSpan(Transactions), Context);
            Market.Layout?.Apply(Market);
            Root = Market.PrepareCommit(Writes, Tree.Tree);
            if (injectFault?.Invoke(Market.Id, Context.BlockNumber) == true)
            {
                throw new MarketInvariantException($"fault injected into market {Market.Id}");
            }
        }
#pragma warning disable CA1031 // A market's failure of any kind is contained: the market halts, the block goes on.
        catch (Exception error)
#pragma warning restore CA1031
        {
            Fault = error;
        }
    }
}

/// <summary>Phase B as a parallel job: one item per touched market.</summary>
internal sealed class MarketJob(MarketShard[] shards) : IParallelJob
{
    public void Execute(int index) => shards[index].Run();
}
