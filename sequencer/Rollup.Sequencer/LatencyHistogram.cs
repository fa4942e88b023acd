using Prometheus;

namespace Rollup.Sequencer;

/// <summary>
/// A Prometheus histogram of durations with fixed buckets (0.25 ms to 1 s), kept by prometheus-net in the
/// sequencer's registry. Each bucket counts observations at or below its bound; recording takes no lock.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds.</summary>
    public static readonly double[] Bounds = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

    private readonly Histogram _histogram;

    public LatencyHistogram(MetricFactory metrics, string name, string help)
    {
        _histogram = metrics.CreateHistogram(name, help, new HistogramConfiguration { Buckets = Bounds });
    }

    public void Record(TimeSpan elapsed, int times = 1) => _histogram.Observe(elapsed.TotalSeconds, times);

    public long Count => _histogram.Count;
}
