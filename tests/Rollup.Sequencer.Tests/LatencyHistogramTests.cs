using System.Text;

namespace Rollup.Sequencer.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Render_Observations_CumulativeBucketsCountAndSum()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromMicroseconds(100));           // <= 0.25 ms
        histogram.Record(TimeSpan.FromMilliseconds(1), times: 3);   // exactly on the 1 ms bound: in it
        histogram.Record(TimeSpan.FromMilliseconds(7));             // <= 10 ms
        histogram.Record(TimeSpan.FromSeconds(3));                  // above every bound
        var text = new StringBuilder();
        histogram.Render(text, "x_seconds", "help");
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("# TYPE x_seconds histogram", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.00025\"} 1", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.0005\"} 1", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.001\"} 4", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.005\"} 4", lines);
        Assert.Contains("x_seconds_bucket{le=\"0.01\"} 5", lines);
        Assert.Contains("x_seconds_bucket{le=\"1\"} 5", lines);
        Assert.Contains("x_seconds_bucket{le=\"+Inf\"} 6", lines);
        Assert.Contains("x_seconds_count 6", lines);
        Assert.Contains("x_seconds_sum 3.0101", lines); // 0.0001 + 3 * 0.001 + 0.007 + 3
    }
}
