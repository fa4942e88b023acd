using Nethereum.Contracts;
using BlockParameter = Nethereum.RPC.Eth.DTOs.BlockParameter;
using Rollup.Bridge.Settlement.Abi;
using Rollup.Primitives;

namespace Rollup.Bridge.Settlement;

/// <summary>A transaction (an ack's sequence and tx hash) against the committed batches' transaction roots.</summary>
public sealed partial class SettlementClient
{
    /// <summary>The committed batch whose sequence range holds <paramref name="sequence"/>, from the <c>BatchCommitted</c> events, or null.</summary>
    public async Task<(ulong BatchIndex, ulong FirstSequence, ulong TxCount, Hash256 TxRoot)?> FindBatchBySequenceAsync(ulong sequence, CancellationToken cancellation) =>
        await FindCommittedAsync(c => c.FirstSequence <= sequence && sequence - c.FirstSequence < c.TxCount, cancellation).ConfigureAwait(false) is { } committed
            ? (committed.BatchIndex, committed.FirstSequence, committed.TxCount, new Hash256(committed.TxRoot))
            : null;

    /// <summary>The first <c>BatchCommitted</c> event since <see cref="FromBlock"/> that <paramref name="matches"/>, or null.</summary>
    private async Task<BatchCommittedEvent?> FindCommittedAsync(Func<BatchCommittedEvent, bool> matches, CancellationToken cancellation)
    {
        var logs = await _l1.GetLogsAsync(
            Artifact.Event("BatchCommitted").CreateFilterInput(Contract.ToString(), new BlockParameter(FromBlock), BlockParameter.CreateLatest()),
            cancellation).ConfigureAwait(false);
        foreach (var log in logs)
        {
            var committed = log.DecodeEvent<BatchCommittedEvent>().Event;
            if (matches(committed))
            {
                return committed;
            }
        }
        return null;
    }

    /// <summary>The batch as the contract stores it (<c>batch(i)</c>).</summary>
    public async Task<BatchRecord> GetBatchAsync(ulong batchIndex, CancellationToken cancellation) =>
        (await CallOutputAsync<BatchRecordOutput>("batch", BlockParameter.CreateLatest(), cancellation, batchIndex).ConfigureAwait(false)).Record;

    /// <summary>How many batches are final (<c>finalBatchCount</c>): batches 0 to that count − 1 are past their challenge window.</summary>
    public Task<ulong> GetFinalBatchCountAsync(CancellationToken cancellation) =>
        CallAsync<ulong>("finalBatchCount", BlockParameter.CreateLatest(), cancellation);

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
