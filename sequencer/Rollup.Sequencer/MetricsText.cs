using Prometheus;

namespace Rollup.Sequencer;

/// <summary>prometheus-net registries in the Prometheus text format, as /metrics serves them.</summary>
public static class MetricsText
{
    public const string ContentType = "text/plain; version=0.0.4";

    /// <summary>Writes each registry in turn (their metric names do not overlap) to <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(Stream destination, IEnumerable<CollectorRegistry> registries, CancellationToken cancellation)
    {
        foreach (var registry in registries)
        {
            await registry.CollectAndExportAsTextAsync(destination, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>One registry as text, for tests and tools.</summary>
    public static string Of(CollectorRegistry registry)
    {
        using var text = new MemoryStream();
        registry.CollectAndExportAsTextAsync(text).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }
}
