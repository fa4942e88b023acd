namespace Rollup.Execution.Blocks;

/// <summary>
/// The executed blocks as the store holds them: records written in the same batch as their block, so any reader may
/// read them beside the one writer that executes blocks, never seeing half a block. The state in memory (balances,
/// books, trees) is not here: it changes while a block executes.
/// </summary>
public interface IBlockStore
{
    /// <summary>The last block whose records are in the store.</summary>
    ulong HeadBlock { get; }

    BlockRecord? GetBlock(ulong number);

    TxLocation? FindTransaction(in Primitives.Hash256 txHash);

    TxLocation? FindTransaction(ulong sequence);
}
