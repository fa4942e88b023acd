using System.Globalization;
using System.Text;
using Rollup.Execution.Blocks;
using Rollup.Sequencer.Admission;

namespace Rollup.Sequencer;

/// <summary>Counters of a running sequencer, rendered in the Prometheus text format (served at /metrics).</summary>
public sealed class SequencerMetrics
{
    private readonly long[] _admission = new long[Enum.GetValues<SubmitStatus>().Length];
    private readonly long[] _executed = new long[256];
    private long _blocks;
    private long _blockMicroseconds;
    private long _lastBlockMicroseconds;
    private long _lastBlockNumber;
    private long _ackSignatures;

    internal void Admitted(SubmitStatus status) => Interlocked.Increment(ref _admission[(int)status]);

    /// <summary>From a submission reaching admission to its signed ack being ready (durable), per accepted transaction.</summary>
    public LatencyHistogram AckLatency { get; } = new();

    /// <summary>How long each group commit of the log took to write and sync.</summary>
    public LatencyHistogram LogSync { get; } = new();

    internal void AckTreeSigned() => Interlocked.Increment(ref _ackSignatures);

    internal void BlockExecuted(BlockResult result, TimeSpan elapsed)
    {
        foreach (var receipt in result.Receipts)
        {
            Interlocked.Increment(ref _executed[(int)receipt.Status]);
        }
        Interlocked.Increment(ref _blocks);
        var micros = (long)elapsed.TotalMicroseconds;
        Interlocked.Add(ref _blockMicroseconds, micros);
        Volatile.Write(ref _lastBlockMicroseconds, micros);
        Volatile.Write(ref _lastBlockNumber, (long)result.Number);
    }

    public string Render(int pendingTransactions, int subscribers)
    {
        var text = new StringBuilder();
        text.AppendLine("# HELP rollup_admission_total Transactions submitted, by admission result.");
        text.AppendLine("# TYPE rollup_admission_total counter");
        foreach (var status in Enum.GetValues<SubmitStatus>())
        {
            Line(text, "rollup_admission_total", $"result=\"{status}\"", Volatile.Read(ref _admission[(int)status]));
        }
        text.AppendLine("# HELP rollup_executed_total Transactions executed in blocks, by receipt status.");
        text.AppendLine("# TYPE rollup_executed_total counter");
        foreach (var status in Enum.GetValues<TxStatus>())
        {
            var count = Volatile.Read(ref _executed[(int)status]);
            if (count > 0 || status == TxStatus.Accepted)
            {
                Line(text, "rollup_executed_total", $"status=\"{status}\"", count);
            }
        }
        text.AppendLine("# HELP rollup_blocks_total Blocks executed.");
        text.AppendLine("# TYPE rollup_blocks_total counter");
        Line(text, "rollup_blocks_total", null, Volatile.Read(ref _blocks));
        text.AppendLine("# HELP rollup_block_execution_seconds Time spent executing and committing blocks.");
        text.AppendLine("# TYPE rollup_block_execution_seconds summary");
        Line(text, "rollup_block_execution_seconds_sum", null, Volatile.Read(ref _blockMicroseconds) / 1e6);
        Line(text, "rollup_block_execution_seconds_count", null, Volatile.Read(ref _blocks));
        text.AppendLine("# HELP rollup_last_block_execution_seconds Time the last block took.");
        text.AppendLine("# TYPE rollup_last_block_execution_seconds gauge");
        Line(text, "rollup_last_block_execution_seconds", null, Volatile.Read(ref _lastBlockMicroseconds) / 1e6);
        text.AppendLine("# HELP rollup_head_block The last executed block.");
        text.AppendLine("# TYPE rollup_head_block gauge");
        Line(text, "rollup_head_block", null, Volatile.Read(ref _lastBlockNumber));
        text.AppendLine("# HELP rollup_ack_signatures_total Sequencer signatures made over ack trees (acks per signature = accepted / this).");
        text.AppendLine("# TYPE rollup_ack_signatures_total counter");
        Line(text, "rollup_ack_signatures_total", null, Volatile.Read(ref _ackSignatures));
        AckLatency.Render(text, "rollup_ack_latency_seconds", "From a submission reaching admission to its durable, signed ack, per accepted transaction.");
        LogSync.Render(text, "rollup_log_sync_seconds", "Write and fsync of each group commit of the transaction log.");
        text.AppendLine("# HELP rollup_gc_pause_seconds_total Time the .NET garbage collector held the node's threads (all of them).");
        text.AppendLine("# TYPE rollup_gc_pause_seconds_total counter");
        Line(text, "rollup_gc_pause_seconds_total", null, GC.GetTotalPauseDuration().TotalSeconds);
        text.AppendLine("# HELP rollup_gc_collections_total Garbage collections, by generation collected (a gen 2 collection counts in 0 and 1 too).");
        text.AppendLine("# TYPE rollup_gc_collections_total counter");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            Line(text, "rollup_gc_collections_total", $"generation=\"{generation}\"", GC.CollectionCount(generation));
        }
        text.AppendLine("# HELP rollup_pending_transactions Durable transactions waiting for a block.");
        text.AppendLine("# TYPE rollup_pending_transactions gauge");
        Line(text, "rollup_pending_transactions", null, pendingTransactions);
        text.AppendLine("# HELP rollup_stream_subscribers Open block subscriptions (every stream holds one).");
        text.AppendLine("# TYPE rollup_stream_subscribers gauge");
        Line(text, "rollup_stream_subscribers", null, subscribers);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, string? labels, double value)
    {
        text.Append(name);
        if (labels is not null)
        {
            text.Append('{').Append(labels).Append('}');
        }
        text.Append(' ').AppendLine(value.ToString(CultureInfo.InvariantCulture));
    }
}
