using Rollup.Primitives;

namespace Rollup.Bridge.Deposits;

/// <summary>The L1 reads the deposit watcher makes: blocks by number, the deposit events of one block, the queue.</summary>
public interface IDepositSource
{
    Task<ulong> GetHeadNumberAsync(CancellationToken cancellation);

    /// <summary>The canonical block at <paramref name="number"/>, or null past the head.</summary>
    Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken cancellation);

    /// <summary>The deposit events of exactly the block with this hash (not a range, so a reorg cannot mix two chains).</summary>
    Task<IReadOnlyList<QueuedDeposit>> GetDepositsAsync(Hash256 blockHash, CancellationToken cancellation);

    /// <summary>The L1 block deposit <paramref name="index"/> was queued in, or null if the queue is not that long yet.</summary>
    Task<ulong?> GetDepositBlockAsync(ulong index, CancellationToken cancellation);

    /// <summary>Entry <paramref name="index"/> of L1's queue as it stands now, or null if the queue is not that long.</summary>
    Task<DepositQueueEntry?> GetQueueEntryAsync(ulong index, CancellationToken cancellation);
}
