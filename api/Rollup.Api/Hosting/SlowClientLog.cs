using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Rollup.Api.Hosting;

/// <summary>What the node does to a client over its limits (<see cref="ConnectionLimits"/>).</summary>
public enum SlowClientEvent
{
    /// <summary>A connection refused: <see cref="ConnectionLimits.MaxConnections"/> were open.</summary>
    Refused,

    /// <summary>A call reset: it held a message begun but not complete longer than <see cref="ConnectionLimits.MessageReadTimeout"/>.</summary>
    Stalled,

    /// <summary>A call reset: its read would have taken the partial messages over <see cref="ConnectionLimits.MaxPartialMessageBytes"/>.</summary>
    OverBudget,
}

/// <summary>
/// Counts refused connections and reset calls and logs one warning with the counts at most once a
/// <see cref="Interval"/>, not a line per client: a flood of them must not become a flood of log lines. The first
/// event after a quiet interval is logged at once; what follows within the interval, within seconds of its end, or at the stop. Refusals are Kestrel's
/// (its <c>kestrel.rejected_connections</c> counter, heard through a <see cref="MeterListener"/>; Kestrel's own line
/// per refusal is filtered out by the node's logging).
/// </summary>
public sealed partial class SlowClientLog : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger;
    private readonly ConnectionLimits _limits;
    private readonly long[] _counts = new long[3];
    private readonly long[] _totals = new long[3];
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly MeterListener _listener = new();
    private DateTime _lastLogged = DateTime.MinValue;

    /// <param name="meters">The host's meter factory: Kestrel's meter of this host has it as its scope, so that two hosts
    /// in one process (the devnet's sequencer and validator) do not count each other's refusals.</param>
    public SlowClientLog(ILogger logger, ConnectionLimits limits, IMeterFactory? meters)
    {
        _logger = logger;
        _limits = limits;
        _timer = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Server.Kestrel" && instrument.Name == "kestrel.rejected_connections" && (meters is null || ReferenceEquals(instrument.Meter.Scope, meters)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            for (var i = 0; i < value; i++)
            {
                Count(SlowClientEvent.Refused);
            }
        });
        _listener.Start();
    }

    /// <summary>Everything counted since the start, by kind.</summary>
    public long Total(SlowClientEvent what) => Interlocked.Read(ref _totals[(int)what]);

    public void Count(SlowClientEvent what)
    {
        Interlocked.Increment(ref _totals[(int)what]);
        Interlocked.Increment(ref _counts[(int)what]);
        Flush();
    }

    private void Flush(bool final = false)
    {
        long refused, stalled, overBudget;
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            // At once after a quiet interval; otherwise the timer finds what the interval gathered once it is over;
            // at the stop, whatever is left.
            if ((!final && now - _lastLogged < Interval) || Array.TrueForAll(_counts, c => c == 0))
            {
                return;
            }
            _lastLogged = now;
            refused = Interlocked.Exchange(ref _counts[(int)SlowClientEvent.Refused], 0);
            stalled = Interlocked.Exchange(ref _counts[(int)SlowClientEvent.Stalled], 0);
            overBudget = Interlocked.Exchange(ref _counts[(int)SlowClientEvent.OverBudget], 0);
        }
        LogLimited(_logger, refused, _limits.MaxConnections, stalled, _limits.MessageReadTimeout.TotalSeconds, overBudget, _limits.MaxPartialMessageBytes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "clients over the connection limits (at most one line a minute): {Refused} connections refused (at most {MaxConnections} open), {Stalled} calls reset for a message not complete within {Timeout} s, {OverBudget} for partial messages over {Budget} bytes")]
    private static partial void LogLimited(ILogger logger, long refused, int maxConnections, long stalled, double timeout, long overBudget, long budget);

    /// <summary>Stops counting and logs what the last interval gathered.</summary>
    public void Dispose()
    {
        _listener.Dispose();
        _timer.Dispose();
        Flush(final: true);
    }
}
