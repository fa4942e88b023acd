using Grpc.Core;
using Rollup.Api;
using Rollup.Bridge.L1;
using Rollup.Bridge.Settlement;
using Rollup.Primitives;
using P = Rollup.Proto.V1;

namespace Rollup.Node.Bridge;

/// <summary>
/// The node's batches as the settlement contract has them, for <c>Query/ListBatches</c>: committed ones from their
/// <c>BatchCommitted</c> events, final once past their challenge window (the contract's <c>finalBatchCount</c>), and
/// the next one as posted while its data parts are on L1 without a commitment. An L1 that does not answer is UNAVAILABLE.
/// </summary>
public sealed class SettlementBatchLedger(SettlementClient settlement) : IBatchLedger
{
    /// <summary>L1 blocks below a remembered commitment's where the next search starts, in case L1 reorganised since.</summary>
    private const ulong ReorgMargin = 64;

    private const int Remembered = 4096;

    /// <summary>
    /// The L1 block of recent commitments by batch index, so a search starts near the wanted batches instead of at the
    /// contract's deployment (a devnet commits a batch every two seconds: a day is about 86,000 L1 blocks to scan).
    /// </summary>
    private readonly SortedList<ulong, ulong> _commitBlocks = [];

    public async Task<P.Batches> ListAsync(int limit, CancellationToken cancellation)
    {
        SettlementBatches read;
        try
        {
            read = await settlement.GetLatestBatchesAsync(limit, cancellation, SearchFrom).ConfigureAwait(false);
        }
        catch (L1Exception error)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"L1 did not answer: {error.Message}"));
        }
        Remember(read);
        var message = new P.Batches { L1 = true, L1Head = read.L1Head, CommittedBatches = read.Committed, FinalBatches = read.Final };
        if (read.PendingParts > 0 && limit > 0)
        {
            message.Batches_.Add(new P.BatchSummary { Index = read.Committed, Status = P.BatchStatus.Posted, Parts = read.PendingParts });
        }
        foreach (var batch in read.Latest)
        {
            if (message.Batches_.Count == limit)
            {
                break;
            }
            message.Batches_.Add(new P.BatchSummary
            {
                Index = batch.Index,
                Status = batch.Index < read.Final ? P.BatchStatus.Final : P.BatchStatus.Committed,
                FirstBlock = batch.FirstBlock,
                LastBlock = batch.LastBlock,
                FirstSequence = batch.FirstSequence,
                TxCount = batch.TxCount,
                StateRoot = Bytes(batch.StateRoot),
                WithdrawalsRoot = Bytes(batch.WithdrawalsRoot),
                L1Block = batch.L1Block,
                L1TxHash = Bytes(batch.L1TxHash),
            });
        }
        return message;
    }

    /// <summary>
    /// Where to look for the commitments of batch <paramref name="oldest"/> and later: a margin below the commitment of
    /// the latest remembered batch at or before it, or from the start when none is remembered.
    /// </summary>
    private ulong? SearchFrom(ulong oldest)
    {
        lock (_commitBlocks)
        {
            ulong? block = null;
            foreach (var (index, l1Block) in _commitBlocks)
            {
                if (index > oldest)
                {
                    break;
                }
                block = l1Block;
            }
            return block is { } b ? b - Math.Min(b, ReorgMargin) : null;
        }
    }

    private void Remember(SettlementBatches read)
    {
        lock (_commitBlocks)
        {
            foreach (var batch in read.Latest)
            {
                _commitBlocks[batch.Index] = batch.L1Block;
            }
            while (_commitBlocks.Count > Remembered)
            {
                _commitBlocks.RemoveAt(0);
            }
        }
    }

    private static Google.Protobuf.ByteString Bytes(Hash256 hash) => Google.Protobuf.ByteString.CopyFrom(hash.ToArray());
}
