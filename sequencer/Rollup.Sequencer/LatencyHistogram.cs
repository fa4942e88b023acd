using System.Globalization;
using System.Text;

namespace Rollup.Sequencer;

/// <summary>
/// A Prometheus histogram of durations with fixed buckets (0.25 ms to 1 s), lock-free to record into. Each bucket
/// counts observations at or below its bound; rendered cumulatively, as the format asks.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds.</summary>
    public static readonly double[] Bounds = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

    private readonly long[] _buckets = new long[Bounds.Length + 1]; // the last one: above every bound
    private long _count;
    private long _sumMicroseconds;

    public void Record(TimeSpan elapsed, int times = 1)
    {
        var seconds = elapsed.TotalSeconds;
        var bucket = 0;
        while (bucket < Bounds.Length && seconds > Bounds[bucket])
        {
            bucket++;
        }
        Interlocked.Add(ref _buckets[bucket], times);
        Interlocked.Add(ref _count, times);
        Interlocked.Add(ref _sumMicroseconds, (long)elapsed.TotalMicroseconds * times);
    }

    public long Count => Volatile.Read(ref _count);

    public void Render(StringBuilder text, string name, string help)
    {
        text.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
        text.Append("# TYPE ").Append(name).AppendLine(" histogram");
        long cumulative = 0;
        for (var i = 0; i < Bounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _buckets[i]);
            text.Append(name).Append("_bucket{le=\"").Append(Bounds[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                .AppendLine(cumulative.ToString(CultureInfo.InvariantCulture));
        }
        cumulative += Volatile.Read(ref _buckets[^1]);
        text.Append(name).Append("_bucket{le=\"+Inf\"} ").AppendLine(cumulative.ToString(CultureInfo.InvariantCulture));
        text.Append(name).Append("_sum ").AppendLine((Volatile.Read(ref _sumMicroseconds) / 1e6).ToString(CultureInfo.InvariantCulture));
        text.Append(name).Append("_count ").AppendLine(Count.ToString(CultureInfo.InvariantCulture));
    }
}
