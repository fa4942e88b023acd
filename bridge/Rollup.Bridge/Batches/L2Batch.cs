using Rollup.Execution.Blocks;

namespace Rollup.Bridge.Batches;

/// <summary>
/// The data of consecutive L2 blocks that one batch carries to L1, and the sequencer's claim of the root of
/// every market the batch touched as of its last block (strictly increasing by market id): a validator whose
/// own roots disagree can name the market.
/// </summary>
public sealed record L2Batch(IReadOnlyList<Block> Blocks, IReadOnlyList<MarketRoot> MarketRoots)
{
    public L2Batch(IReadOnlyList<Block> blocks)
        : this(blocks, [])
    {
    }

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
