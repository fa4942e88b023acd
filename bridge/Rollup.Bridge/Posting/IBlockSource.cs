using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;

namespace Rollup.Bridge.Posting;

/// <summary>The executed L2 blocks the poster batches: the node's store.</summary>
public interface IBlockSource
{
    ulong HeadBlock { get; }

    BlockRecord? GetBlock(ulong number);

    /// <summary>The accounts domain's lasting state after block <paramref name="number"/> (0: the genesis state), where a batch's claim of it starts.</summary>
    AccountsDomainState AccountsDomainStateAfter(ulong number);

    /// <summary>
    /// Every market's trees after block <paramref name="number"/>, where a batch's market claims start
    /// (<see cref="ProvableMarkets"/>); null for a source that claims the accounts domain alone (a test's, never a node's:
    /// a validator claiming markets would refuse its batches).
    /// </summary>
    IReadOnlyDictionary<uint, MarketDomainTrees>? MarketTreesAfter(ulong number) => null;
}
