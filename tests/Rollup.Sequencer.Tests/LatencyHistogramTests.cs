using Prometheus;

namespace Rollup.Sequencer.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public async Task Export_Observations_CumulativeBucketsCountAndSum()
    {
        var registry = Metrics.NewCustomRegistry();
        var histogram = new LatencyHistogram(Metrics.WithCustomRegistry(registry), "x_seconds", "help");
        histogram.Record(TimeSpan.FromMicroseconds(100));           // <= 0.25 ms
        histogram.Record(TimeSpan.FromMilliseconds(1), times: 3);   // exactly on the 1 ms bound: in it
        histogram.Record(TimeSpan.FromMilliseconds(7));             // <= 10 ms
        histogram.Record(TimeSpan.FromSeconds(3));                  // above every bound
        using var exported = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(exported);
        var lines = System.Text.Encoding.UTF8.GetString(exported.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(6, histogram.Count);
        Assert.Contains("# TYPE x_seconds histogram", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.00025\"} 1", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.0005\"} 1", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.001\"} 4", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.005\"} 4", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.01\"} 5", lines);
        Assert.Contains("x_seconds_bucket{le=\"1\"} 5", lines);
        Assert.Contains("x_seconds_bucket{le=\"+Inf\"} 6", lines);
        Assert.Contains("x_seconds_count 6", lines);
        // 0.0001 + 3 * 0.001 + 0.007 + 3, in doubles.
        var sum = lines.Single(line => line.StartsWith("x_seconds_sum ", StringComparison.Ordinal));
        Assert.Equal(3.0101, double.Parse(sum["x_seconds_sum ".Length..], System.Globalization.CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public void Export_TwoSequencersMetrics_DoNotShareCounters()
    {
        var first = new SequencerMetrics();
        var second = new SequencerMetrics();
        first.AckLatency.Record(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, first.AckLatency.Count);
        Assert.Equal(0, second.AckLatency.Count);
        Assert.Contains("rollup_ack_latency_seconds_count 1", first.Export(), StringComparison.Ordinal);
        Assert.Contains("rollup_ack_latency_seconds_count 0", second.Export(), StringComparison.Ordinal);
    }
}
