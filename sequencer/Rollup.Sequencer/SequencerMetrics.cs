using Prometheus;
using Rollup.Execution.Blocks;
using Rollup.Sequencer.Admission;

namespace Rollup.Sequencer;

/// <summary>
/// The metrics of a running sequencer, kept by prometheus-net in a registry of this sequencer's own (so two in one
/// process do not share counters) and exported in the Prometheus text format (served at /metrics).
/// </summary>
public sealed class SequencerMetrics
{
    private readonly Counter.Child[] _admission;
    private readonly Counter _executed;
    private readonly Counter.Child?[] _executedByStatus = new Counter.Child?[256];
    private readonly Counter _blocks;
    private readonly Summary _blockExecution;
    private readonly Gauge _lastBlockExecution;
    private readonly Gauge _headBlock;
    private readonly Counter _ackSignatures;

    public SequencerMetrics()
    {
        var metrics = Prometheus.Metrics.WithCustomRegistry(Registry);
        var admission = metrics.CreateCounter("rollup_admission_total", "Transactions submitted, by admission result.", "result");
        var statuses = Enum.GetValues<SubmitStatus>();
        _admission = new Counter.Child[statuses.Length];
        foreach (var status in statuses)
        {
            _admission[(int)status] = admission.WithLabels(status.ToString());
        }
        _executed = metrics.CreateCounter("rollup_executed_total", "Transactions executed in blocks, by receipt status.", "status");
        _executedByStatus[(int)TxStatus.Accepted] = _executed.WithLabels(nameof(TxStatus.Accepted));
        _blocks = metrics.CreateCounter("rollup_blocks_total", "Blocks executed.");
        // A summary without quantiles: its _sum and _count, the mean time per block.
        _blockExecution = metrics.CreateSummary("rollup_block_execution_seconds", "Time spent executing and committing blocks.");
        _lastBlockExecution = metrics.CreateGauge("rollup_last_block_execution_seconds", "Time the last block took.");
        _headBlock = metrics.CreateGauge("rollup_head_block", "The last executed block.");
        _ackSignatures = metrics.CreateCounter("rollup_ack_signatures_total", "Sequencer signatures made over ack trees (acks per signature = accepted / this).");
        AckLatency = new LatencyHistogram(metrics, "rollup_ack_latency_seconds", "From a submission reaching admission to its durable, signed ack, per accepted transaction.");
        LogSync = new LatencyHistogram(metrics, "rollup_log_sync_seconds", "Write and fsync of each group commit of the transaction log.");
        var gcPause = metrics.CreateCounter("rollup_gc_pause_seconds_total", "Time the .NET garbage collector held the node's threads (all of them).");
        var gcCollections = metrics.CreateCounter("rollup_gc_collections_total", "Garbage collections, by generation collected (a gen 2 collection counts in 0 and 1 too).", "generation");
        Registry.AddBeforeCollectCallback(() =>
        {
            gcPause.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            for (var generation = 0; generation <= GC.MaxGeneration; generation++)
            {
                gcCollections.WithLabels(generation.ToString(System.Globalization.CultureInfo.InvariantCulture)).IncTo(GC.CollectionCount(generation));
            }
        });
        Factory = metrics;
    }

    /// <summary>Where this sequencer's metrics live; the node exports it at /metrics.</summary>
    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    /// <summary>For gauges whose owners read them at export time (<see cref="CollectorRegistry.AddBeforeCollectCallback(Action)"/>).</summary>
    internal MetricFactory Factory { get; }

    /// <summary>From a submission reaching admission to its signed ack being ready (durable), per accepted transaction.</summary>
    public LatencyHistogram AckLatency { get; }

    /// <summary>How long each group commit of the log took to write and sync.</summary>
    public LatencyHistogram LogSync { get; }

    internal void Admitted(SubmitStatus status) => _admission[(int)status].Inc();

    internal void AckTreeSigned() => _ackSignatures.Inc();

    internal void BlockExecuted(BlockResult result, TimeSpan elapsed)
    {
        Span<int> counts = stackalloc int[256];
        foreach (var receipt in result.Receipts)
        {
            counts[(int)receipt.Status]++;
        }
        for (var status = 0; status < counts.Length; status++)
        {
            if (counts[status] > 0)
            {
                (_executedByStatus[status] ??= _executed.WithLabels(((TxStatus)status).ToString())).Inc(counts[status]);
            }
        }
        _blocks.Inc();
        _blockExecution.Observe(elapsed.TotalSeconds);
        _lastBlockExecution.Set(elapsed.TotalSeconds);
        _headBlock.Set(result.Number);
    }

    /// <summary>The registry in the Prometheus text format.</summary>
    public string Export() => MetricsText.Of(Registry);
}
