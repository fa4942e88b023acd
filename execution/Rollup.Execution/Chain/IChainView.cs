using System.Threading.Channels;
using Rollup.Execution.Blocks;

namespace Rollup.Execution.Chain;

/// <summary>What the read API and the streams need of a node, sequencer or validator: the state between blocks and a feed of blocks.</summary>
public interface IChainView
{
    /// <summary>Runs <paramref name="query"/> against the engine between blocks.</summary>
    T Read<T>(Func<ExecutionEngine, T> query);

    /// <summary>
    /// Runs <paramref name="query"/> against the last committed block's view (<see cref="Execution.Blocks.Views.CommittedView"/>),
    /// beside a block being executed: it never holds the writer up and never sees half a block.
    /// </summary>
    T ReadCommitted<T>(Func<Execution.Blocks.Views.CommittedView, T> query);

    /// <summary>Runs <paramref name="query"/> against the stored blocks, beside a block being executed: it never holds the writer up.</summary>
    T ReadStored<T>(Func<IBlockStore, T> query);

    /// <summary>
    /// How many transactions were acknowledged (sequence numbers below this): a sequencer's durable log, executed or not;
    /// a validator, which acknowledges nothing, counts what it has executed.
    /// </summary>
    ulong AcknowledgedTransactions { get; }

    /// <summary>A live feed of executed blocks; a subscriber that falls behind by <paramref name="capacity"/> blocks is dropped.</summary>
    ChannelReader<BlockResult> Subscribe(int capacity = 256);

    void Unsubscribe(ChannelReader<BlockResult> reader);
}
