using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Validation;

/// <summary>The validator's own engine (the node publishes what it executes to its streams).</summary>
public interface IBlockExecutor
{
    ChainHead Head { get; }

    BlockResult Execute(Block block);

    BlockRecord? GetBlock(ulong number);

    /// <summary>The accounts domain's lasting state after block <paramref name="number"/> (0: the genesis state), where a batch's claim of it starts.</summary>
    AccountsDomainState AccountsDomainStateAfter(ulong number);
}
