using Rollup.Execution.Blocks;

namespace Rollup.Bridge.Posting;

/// <summary>The executed L2 blocks the poster batches: the node's store.</summary>
public interface IBlockSource
{
    ulong HeadBlock { get; }

    BlockRecord? GetBlock(ulong number);
}
