using Microsoft.Extensions.Logging;
using Rollup.Bridge.Batches;
using Rollup.Execution.Blocks;
using Rollup.Primitives;

namespace Rollup.Bridge.Posting;

/// <summary>
/// Posts executed blocks to L1 as batches, in order, each once. Every round starts from what the contract
/// says (next batch index, next block, parts already posted), so after a crash, a restart or an L1 outage
/// it goes on exactly where L1 is: parts already posted with the same bytes are kept, different ones are
/// discarded and posted again, and a part or commitment that L1 refuses as a duplicate costs a round, not
/// a conflict. The blocks of the batch in flight are remembered in a file so a restart rebuilds the same bytes.
/// </summary>
public sealed partial class BatchPoster
{
    /// <summary>The state root before block 1: the empty state's (the engine's head before any block).</summary>
    public static readonly Hash256 GenesisStateRoot = Hash256.Zero;

    private readonly IBatchSink _sink;
    private readonly IBlockSource _blocks;
    private readonly BatchPosterOptions _options;
    private readonly ILogger _logger;
    private readonly Logging.PeriodicSummary _committedSummary = new(Logging.PeriodicSummary.DefaultInterval);

    public BatchPoster(IBatchSink sink, IBlockSource blocks, BatchPosterOptions options, ILogger logger)
    {
        _sink = sink;
        _blocks = blocks;
        _options = options;
        _logger = logger;
    }

    public long BatchesPosted { get; private set; }

    public long PartsPosted { get; private set; }

    public long BytesPosted { get; private set; }

    public long Failures { get; private set; }

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        do
        {
            try
            {
                while (await PostNextAsync(cancellation).ConfigureAwait(false) is not null)
                {
                }
            }
            catch (Exception error) when (error is not (OperationCanceledException or InvalidDataException))
            {
                Failures++;
                LogRoundFailed(error.GetType().Name, error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
    }

    /// <summary>Posts one batch of the blocks L1 lacks; null when there is nothing to post.</summary>
    public async Task<BatchCommitment?> PostNextAsync(CancellationToken cancellation)
    {
        var status = await _sink.GetStatusAsync(cancellation).ConfigureAwait(false);
        if (status.Frozen)
        {
            LogFrozen();
            return null;
        }
        var head = _blocks.HeadBlock;
        if (status.NextL2Block > head)
        {
            return null;
        }
        var prepared = Prepare(status, head);
        var start = 0;
        if (status.PendingParts > 0)
        {
            start = MatchingPrefix(prepared, status);
            if (start < 0)
            {
                LogDiscard(status.NextBatchIndex, status.PendingParts);
                await _sink.DiscardPendingAsync(cancellation).ConfigureAwait(false);
                start = 0;
            }
        }
        if (start < prepared.Parts.Count)
        {
            var remaining = new List<ReadOnlyMemory<byte>>(prepared.Parts.Count - start);
            for (var part = start; part < prepared.Parts.Count; part++)
            {
                remaining.Add(prepared.Parts[part]);
            }
            await _sink.PostPartsAsync(status.NextBatchIndex, (uint)start, remaining, cancellation).ConfigureAwait(false);
            foreach (var part in remaining)
            {
                PartsPosted++;
                BytesPosted += part.Length;
            }
        }
        try
        {
            await _sink.CommitAsync(prepared.Commitment, prepared.Claims, cancellation).ConfigureAwait(false);
        }
        catch (L1RevertedException refused)
        {
            // L1 will not take this batch as it is (for example a deposit became overdue before its block was
            // in it): drop its parts and its block range, so the next round builds it again from the head.
            LogCommitRefused(status.NextBatchIndex, refused.Message);
            PostingIntent.Delete(_options.IntentFile);
            await _sink.DiscardPendingAsync(cancellation).ConfigureAwait(false);
            throw;
        }
        PostingIntent.Delete(_options.IntentFile);
        BatchesPosted++;
        var c = prepared.Commitment;
        LogCommitted(c.BatchIndex, c.FirstBlock, c.LastBlock, prepared.Batch.TransactionCount, prepared.Frame.Length, prepared.Parts.Count, c.NewStateRoot.ToString());
        if (_committedSummary.Count() is var committed and > 0)
        {
            LogCommittedSummary(committed, c.BatchIndex, c.LastBlock, c.NewStateRoot.ToString());
        }
        return c;
    }

    private PreparedBatch Prepare(SettlementStatus status, ulong head)
    {
        var first = status.NextL2Block;
        var intent = PostingIntent.Load(_options.IntentFile);
        var records = intent is not null && intent.BatchIndex == status.NextBatchIndex && intent.FirstBlock == first && intent.LastBlock <= head
            ? ReadBlocks(first, intent.LastBlock, int.MaxValue)
            : ReadBlocks(first, Math.Min(head, first + (ulong)_options.MaxBlocksPerBatch - 1), _options.MaxTransactionsPerBatch);
        var last = records[^1].Block.Number;
        var before = first == 1 ? GenesisStateRoot : (_blocks.GetBlock(first - 1) ?? throw new InvalidDataException($"block {first - 1} is not in the store")).StateRoot;
        if (before != status.LastStateRoot)
        {
            LogRootMismatch(first - 1, before.ToString(), status.LastStateRoot.ToString());
            throw new InvalidDataException($"L1's last committed state root {status.LastStateRoot} is not this node's root after block {first - 1} ({before})");
        }
        new PostingIntent(status.NextBatchIndex, first, last).Save(_options.IntentFile);
        // The accounts claim starts from the chain's state after block first − 1, not from the end of the last claim
        // this poster made: that is gone after a restart, and wrong once L1 refused the commitment that carried it.
        var accountsStart = _blocks.AccountsDomainStateAfter(first - 1);
        var marketStart = _blocks.MarketTreesAfter(first - 1);
        // The first sequence is L1's nextSequence(), read with the rest of the status, not a count the poster keeps:
        // a count in memory is gone after a restart (rebuilding it means reading every block since block 1), and one
        // advanced when a batch is posted is wrong once L1 refuses that commitment and its parts are discarded. L1
        // advances only on a commitment it records, and it is exactly what commitBatch checks the field against.
        return BatchAssembler.Assemble(status.NextBatchIndex, status.NextSequence, status.LastStateRoot, accountsStart, marketStart, records, _options.Codec, _options.MaxPartBytes);
    }

    /// <summary>Blocks first..last, stopping early before the one that would take the batch past <paramref name="maxTransactions"/> (the first is always taken).</summary>
    private List<BlockRecord> ReadBlocks(ulong first, ulong last, int maxTransactions)
    {
        var records = new List<BlockRecord>();
        var transactions = 0;
        for (var number = first; number <= last; number++)
        {
            var record = _blocks.GetBlock(number) ?? throw new InvalidDataException($"block {number} is not in the store");
            transactions += record.Block.Transactions.Length;
            if (records.Count > 0 && transactions > maxTransactions)
            {
                break;
            }
            records.Add(record);
        }
        return records;
    }

    /// <summary>How many of the posted parts are ours (their accumulator matches), or −1 if they are not.</summary>
    private static int MatchingPrefix(PreparedBatch prepared, SettlementStatus status)
    {
        if (status.PendingParts > prepared.Parts.Count)
        {
            return -1;
        }
        var accumulator = Hash256.Zero;
        for (var i = 0; i < status.PendingParts; i++)
        {
            accumulator = BatchParts.Accumulate(accumulator, prepared.Parts[i].Span);
        }
        return accumulator == status.PendingAccumulator ? (int)status.PendingParts : -1;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "batch {Index} committed: blocks {First}..{Last}, {Transactions} txs, {Bytes} bytes in {Parts} parts, state root {Root}")]
    private partial void LogCommitted(ulong index, ulong first, ulong last, int transactions, int bytes, int parts, string root);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} batches committed since the last summary; the last, batch {Index}, up to block {Last}, state root {Root}")]
    private partial void LogCommittedSummary(int count, ulong index, ulong last, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch {Index}: L1 refused the commitment ({Reason}); its parts are discarded and the batch will be built again from the head")]
    private partial void LogCommitRefused(ulong index, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch {Index}: the {Parts} parts on L1 are not this batch's: discarding them")]
    private partial void LogDiscard(ulong index, uint parts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch poster: round failed, will retry ({Kind}: {Reason})")]
    private partial void LogRoundFailed(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "L1's last state root after block {Block} is {L1Root}, this node has {OurRoot}: not posting")]
    private partial void LogRootMismatch(ulong block, string ourRoot, string l1Root);

    [LoggerMessage(Level = LogLevel.Error, Message = "the settlement contract is frozen: nothing more can be posted")]
    private partial void LogFrozen();
}
