using Nethereum.Contracts;
using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>A transaction (an ack's sequence and tx hash) against the committed batches' transaction roots.</summary>
public sealed partial class SettlementClient
{
    /// <summary>The committed batch whose sequence range holds <paramref name="sequence"/>, from the <c>BatchCommitted</c> events, or null.</summary>
    public async Task<(ulong BatchIndex, ulong FirstSequence, ulong TxCount, Hash256 TxRoot)?> FindBatchBySequenceAsync(ulong sequence, CancellationToken cancellation)
    {
        var logs = await _l1.GetLogsAsync(
            Artifact.Event("BatchCommitted").CreateFilterInput(Contract.ToString(), new BlockParameter(FromBlock), BlockParameter.CreateLatest()),
            cancellation).ConfigureAwait(false);
        foreach (var log in logs)
        {
            var committed = log.DecodeEvent<BatchCommittedEvent>().Event;
            if (committed.FirstSequence <= sequence && sequence - committed.FirstSequence < committed.TxCount)
            {
                return (committed.BatchIndex, committed.FirstSequence, committed.TxCount, new Hash256(committed.TxRoot));
            }
        }
        return null;
    }

    /// <summary>The batch as the contract stores it (<c>batch(i)</c>).</summary>
    public async Task<BatchRecord> GetBatchAsync(ulong batchIndex, CancellationToken cancellation) =>
        (await CallOutputAsync<BatchRecordOutput>("batch", BlockParameter.CreateLatest(), cancellation, batchIndex).ConfigureAwait(false)).Record;

    /// <summary>L1's own check (<c>transactionIncluded</c>) that batch <paramref name="batchIndex"/> holds <paramref name="txHash"/> at <paramref name="sequence"/>.</summary>
    public Task<bool> IsTransactionIncludedAsync(ulong batchIndex, ulong sequence, Hash256 txHash, IReadOnlyList<Hash256> siblings, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(siblings);
        var words = new List<byte[]>(siblings.Count);
        foreach (var sibling in siblings)
        {
            words.Add(sibling.ToArray());
        }
        return CallAsync<bool>("transactionIncluded", BlockParameter.CreateLatest(), cancellation, batchIndex, sequence, txHash.ToArray(), words);
    }
}
