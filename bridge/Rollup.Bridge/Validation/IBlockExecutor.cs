using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;

namespace Rollup.Bridge.Validation;

/// <summary>The validator's own engine (the node publishes what it executes to its streams).</summary>
public interface IBlockExecutor
{
    ChainHead Head { get; }

    BlockResult Execute(Block block);

    BlockRecord? GetBlock(ulong number);

    /// <summary>The accounts domain's lasting state after block <paramref name="number"/> (0: the genesis state), where a batch's claim of it starts.</summary>
    AccountsDomainState AccountsDomainStateAfter(ulong number);

    /// <summary>
    /// Every market's trees after block <paramref name="number"/>, where a batch's market claims start
    /// (<see cref="ProvableMarkets"/>); null for an executor that checks the accounts claim alone (a test's).
    /// </summary>
    IReadOnlyDictionary<uint, MarketDomainTrees>? MarketTreesAfter(ulong number) => null;
}
