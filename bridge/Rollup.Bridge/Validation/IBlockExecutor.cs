using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Primitives;

namespace Rollup.Bridge.Validation;

/// <summary>The validator's own engine (the node publishes what it executes to its streams).</summary>
public interface IBlockExecutor
{
    ChainHead Head { get; }

    Hash256 MarketsRoot { get; }

    Hash256 MarketRoot(uint market);

    BlockResult Execute(Block block);

    BlockRecord? GetBlock(ulong number);
}
