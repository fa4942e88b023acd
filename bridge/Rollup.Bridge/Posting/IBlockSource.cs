using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;

namespace Rollup.Bridge.Posting;

/// <summary>The executed L2 blocks the poster batches: the node's store.</summary>
public interface IBlockSource
{
    ulong HeadBlock { get; }

    BlockRecord? GetBlock(ulong number);

    /// <summary>The accounts domain's lasting state after block <paramref name="number"/> (0: the genesis state), where a batch's claim of it starts.</summary>
    AccountsDomainState AccountsDomainStateAfter(ulong number);
}
