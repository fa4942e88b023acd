namespace Rollup.Bridge.Logging;

/// <summary>
/// Turns a steady event (a batch committed, a batch agreed) into one Information line per interval saying how many
/// happened since the last, instead of a line each: a devnet posts a batch every two seconds. Each event itself goes
/// to Debug. Not thread-safe: one loop owns it.
/// </summary>
public sealed class PeriodicSummary(TimeSpan interval, TimeProvider? time = null)
{
    /// <summary>Default interval of the bridge's summaries.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long? _lastReport;
    private int _since;

    /// <summary>Counts one event; returns how many to report now (the first event is reported at once), or 0.</summary>
    public int Count()
    {
        _since++;
        var now = _time.GetTimestamp();
        if (_lastReport is { } last && _time.GetElapsedTime(last, now) < interval)
        {
            return 0;
        }
        _lastReport = now;
        var count = _since;
        _since = 0;
        return count;
    }
}
