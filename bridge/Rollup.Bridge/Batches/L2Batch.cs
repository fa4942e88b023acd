using Rollup.Execution.Blocks;

namespace Rollup.Bridge.Batches;

/// <summary>The data of consecutive L2 blocks <c>FirstBlock</c>.. that one batch carries to L1.</summary>
public sealed record L2Batch(IReadOnlyList<Block> Blocks)
{
    public ulong FirstBlock => Blocks.Count == 0 ? 0 : Blocks[0].Number;

    public ulong LastBlock => Blocks.Count == 0 ? 0 : Blocks[^1].Number;

    public int TransactionCount
    {
        get
        {
            var count = 0;
            foreach (var block in Blocks)
            {
                count += block.Transactions.Length;
            }
            return count;
        }
    }
}
