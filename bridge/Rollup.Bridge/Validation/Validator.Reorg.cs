using Microsoft.Extensions.Logging;
using Rollup.Bridge.Batches;

namespace Rollup.Bridge.Validation;

/// <summary>
/// An L1 reorg deeper than the validator's confirmations can take away commitments it agreed with; the poster then posts
/// the same L2 blocks again, often cut into other batches. Each round the validator checks that the newest batch it agreed
/// with is still on L1 as it was, and if not goes back to the oldest one that changed and checks from there again. Its L2
/// blocks stay: an L1 reorg undoes the posting of the L2 chain, not the chain, so a batch posted again is compared with the
/// blocks this validator already executed (a batch that holds other blocks is a real disagreement, and reported as one).
/// </summary>
public sealed partial class Validator
{
    /// <summary>Agreed batches remembered to find the fork; a reorg that changes all of them goes back to the oldest.</summary>
    private const int RememberedBatches = 256;

    /// <summary>The latest batches agreed with, oldest first, as L1 had them then.</summary>
    private readonly List<BatchCommitment> _agreed = [];

    /// <summary>How many times an L1 reorg sent the validator back to check batches again.</summary>
    public long Reorgs { get; private set; }

    private void RememberAgreed(BatchCommitment commitment)
    {
        _agreed.Add(commitment);
        if (_agreed.Count > RememberedBatches)
        {
            _agreed.RemoveAt(0);
        }
    }

    /// <summary>Whether the validator has found, since it started, where its progress stands on L1 (it remembers no commitments across a restart).</summary>
    private bool _placed;

    /// <summary>Goes back to the first agreed batch L1 no longer holds as it was; true if it had to.</summary>
    private async Task<bool> UnwindReorganisedAsync(CancellationToken cancellation)
    {
        if (!_placed)
        {
            // Marked only once it succeeded: an L1 read that fails here is tried again next round.
            var placed = _agreed.Count == 0 && NextBatchIndex > 0 && await PlaceAfterRestartAsync(cancellation).ConfigureAwait(false);
            _placed = true;
            return placed;
        }
        var kept = _agreed.Count;
        while (kept > 0 && await _source.GetCommitmentAsync(_agreed[kept - 1].BatchIndex, cancellation).ConfigureAwait(false) != _agreed[kept - 1])
        {
            kept--;
        }
        if (kept == _agreed.Count)
        {
            return false;
        }
        var from = _agreed[kept].BatchIndex;
        var count = _agreed.Count - kept;
        _agreed.RemoveRange(kept, count);
        Rewind(from, kept > 0 ? _agreed[kept - 1].FirstSequence + _agreed[kept - 1].TxCount : null, count);
        return true;
    }

    /// <summary>
    /// After a restart: the newest batch on L1, at or before the progress file's, that ends on one of this validator's own
    /// blocks with its root is where it stands (the L2 blocks do not change, so a batch posted again over them does); the
    /// next batch is checked from there. None: from batch 0.
    /// </summary>
    private async Task<bool> PlaceAfterRestartAsync(CancellationToken cancellation)
    {
        var head = _executor.Head.BlockNumber;
        for (var next = NextBatchIndex; next > 0; next--)
        {
            var commitment = await _source.GetCommitmentAsync(next - 1, cancellation).ConfigureAwait(false);
            if (commitment is not null && commitment.LastBlock <= head && _executor.GetBlock(commitment.LastBlock)?.StateRoot == commitment.NewStateRoot)
            {
                RememberAgreed(commitment);
                if (next == NextBatchIndex)
                {
                    return false;
                }
                Rewind(next, commitment.FirstSequence + commitment.TxCount, (int)(NextBatchIndex - next));
                return true;
            }
        }
        Rewind(0, null, (int)NextBatchIndex);
        return true;
    }

    private void Rewind(ulong next, ulong? nextSequence, int count)
    {
        LogReorg(next, NextBatchIndex - 1, count);
        NextBatchIndex = next;
        _nextSequence = nextSequence;
        Reorgs++;
        SaveProgress(_options.ProgressFile, NextBatchIndex);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 reorg: batch {From} as this validator agreed with it is no longer on L1 (up to batch {Last}, {Count} batches); checking again from batch {From}")]
    private partial void LogReorg(ulong from, ulong last, int count);
}
