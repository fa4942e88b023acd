using Rollup.Execution.Blocks;
using Rollup.Execution.State;

namespace Rollup.Bridge.Validation;

/// <summary>The validator's own engine (the node publishes what it executes to its streams).</summary>
public interface IBlockExecutor
{
    ChainHead Head { get; }

    BlockResult Execute(Block block);

    BlockRecord? GetBlock(ulong number);
}
