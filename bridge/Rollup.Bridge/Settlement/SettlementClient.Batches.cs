using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>A batch's commitment as its <c>BatchCommitted</c> event tells it, with the L1 block and transaction that made it.</summary>
public sealed record CommittedBatchLog(
    ulong Index,
    ulong FirstBlock,
    ulong LastBlock,
    ulong FirstSequence,
    ulong TxCount,
    Hash256 StateRoot,
    Hash256 WithdrawalsRoot,
    ulong L1Block,
    Hash256 L1TxHash);

/// <summary>
/// The contract's latest batches, every read at one L1 block: how many are committed (the next index) and final,
/// the parts already posted for the next one, and the commitments of the latest <c>count</c> batches, newest first.
/// </summary>
public sealed record SettlementBatches(ulong L1Head, ulong Committed, ulong Final, uint PendingParts, IReadOnlyList<CommittedBatchLog> Latest);

/// <summary>What an explorer reads: the latest batches and where they stand.</summary>
public sealed partial class SettlementClient
{
    /// <summary>
    /// The latest <paramref name="count"/> batches. <paramref name="searchFrom"/>, given the oldest wanted batch index,
    /// may name an L1 block at or before that batch's commitment, where the event search then starts instead of the
    /// contract's deployment block (commitments are on L1 in index order).
    /// </summary>
    public async Task<SettlementBatches> GetLatestBatchesAsync(int count, CancellationToken cancellation, Func<ulong, ulong?>? searchFrom = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var block = await PinnedBlockAsync(cancellation).ConfigureAwait(false);
        var head = (ulong)block.BlockNumber.Value;
        var committed = await CallAsync<ulong>("nextBatchIndex", block, cancellation).ConfigureAwait(false);
        var final = await CallAsync<ulong>("finalBatchCount", block, cancellation).ConfigureAwait(false);
        var pending = await CallOutputAsync<PendingBatchDataOutput>("pendingBatchData", block, cancellation).ConfigureAwait(false);
        var first = committed > (ulong)count ? committed - (ulong)count : 0;
        if (first == committed)
        {
            return new SettlementBatches(head, committed, final, pending.Parts, []);
        }
        // One query for the whole range: the indexed batch index matches any of the wanted ones.
        var indices = new object[committed - first];
        for (var i = 0UL; i < committed - first; i++)
        {
            indices[i] = first + i;
        }
        var logs = await _l1.GetLogsAsync(
            Artifact.Event("BatchCommitted").CreateFilterInput(Contract.ToString(), indices, new BlockParameter(Math.Max(FromBlock, searchFrom?.Invoke(first) ?? 0)), block),
            cancellation).ConfigureAwait(false);
        var latest = logs
            .Select(log => (Log: log, Event: log.DecodeEvent<BatchCommittedEvent>().Event))
            .OrderByDescending(b => b.Event.BatchIndex)
            .Select(b => new CommittedBatchLog(
                b.Event.BatchIndex, b.Event.FirstBlock, b.Event.LastBlock, b.Event.FirstSequence, b.Event.TxCount,
                new Hash256(b.Event.NewStateRoot), new Hash256(b.Event.WithdrawalsRoot),
                (ulong)b.Log.BlockNumber.Value, Hash256.Parse(b.Log.TransactionHash)))
            .ToArray();
        return new SettlementBatches(head, committed, final, pending.Parts, latest);
    }
}
