using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Rollup.Bridge.Validation;

/// <summary>
/// A round of validation: every batch L1 has ready, in order. A validator far behind (a fresh one, or one that was
/// down) says so, how far it has got every <see cref="ValidatorOptions.ProgressInterval"/>, and when it has caught up;
/// one that is keeping up says nothing here (its summary line is enough).
/// </summary>
public sealed partial class Validator
{
    /// <summary>Batches behind L1 from which a round counts as catching up and reports its progress.</summary>
    private const ulong CatchUpThreshold = 2;

    /// <summary>Validates every batch L1 has ready; returns how many it checked (fewer if a fault stopped it).</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellation)
    {
        var checkedBatches = 0;
        var started = Stopwatch.GetTimestamp();
        var reported = started;
        var catchingUp = false;
        var total = 0UL;
        await UnwindReorganisedAsync(cancellation).ConfigureAwait(false);
        while (Fault is null)
        {
            if (checkedBatches == 0 || Stopwatch.GetElapsedTime(reported) >= _options.ProgressInterval)
            {
                total = await _source.GetCommittedBatchCountAsync(cancellation).ConfigureAwait(false);
                if (checkedBatches == 0 && total >= NextBatchIndex + CatchUpThreshold)
                {
                    catchingUp = true;
                    LogCatchingUp(total, NextBatchIndex, total - NextBatchIndex);
                }
                else if (catchingUp && checkedBatches > 0 && NextBatchIndex < total)
                {
                    LogCatchUpProgress(NextBatchIndex, total, _executor.Head.BlockNumber, checkedBatches / Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
                reported = Stopwatch.GetTimestamp();
            }
            if (await ValidateNextAsync(cancellation).ConfigureAwait(false) is null)
            {
                break;
            }
            checkedBatches++;
        }
        if (catchingUp && Fault is null)
        {
            LogCaughtUp(checkedBatches, NextBatchIndex, _executor.Head.BlockNumber, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return checkedBatches;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "validator catching up: L1 has {Total} batches committed, this validator is at batch {Next}, {Behind} to check")]
    private partial void LogCatchingUp(ulong total, ulong next, ulong behind);

    [LoggerMessage(Level = LogLevel.Information, Message = "validator catching up: {Done} of {Total} batches checked, block {Block}, {Rate:F1} batches/s")]
    private partial void LogCatchUpProgress(ulong done, ulong total, ulong block, double rate);

    [LoggerMessage(Level = LogLevel.Information, Message = "validator caught up: {Checked} batches checked in {Seconds:F1} s, now at batch {Next}, block {Block}")]
    private partial void LogCaughtUp(int @checked, ulong next, ulong block, double seconds);
}
