using System.Globalization;
using System.Text;

namespace Rollup.Bench.Custom;

/// <summary>
/// What a Stopwatch benchmark subcommand reports: figures for <c>bench/results/NAME.json</c>, and the same
/// figures as markdown tables (each next to the machine limit or goal it should be read against) for
/// <c>bench/results/NAME.md</c>, with the run's parameters, load average and notes.
/// </summary>
internal sealed class CustomReport(string name, string title)
{
    private readonly List<Figure> _figures = [];
    private readonly List<(string Heading, List<string[]> Rows)> _sections = [];
    private readonly List<(string Name, string Value)> _parameters = [];
    private readonly List<string> _notes = [];
    private readonly LoadAverage _loadBefore = LoadAverage.Read();
    private readonly MachineBusy _busyBefore = MachineBusy.Read();
    private readonly DateTime _started = DateTime.UtcNow;

    public string Name { get; } = name;

    public void Parameter(string parameterName, object value) =>
        _parameters.Add((parameterName, Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));

    public void Section(string heading) => _sections.Add((heading, []));

    /// <summary>Adds a figure to the JSON and a row to the current markdown table.</summary>
    public void Add(string figureName, string label, double value, string unit, string comparison = "", int decimals = 1)
    {
        _figures.Add(new Figure(figureName, Math.Round(value, decimals), unit));
        if (_sections.Count == 0)
        {
            Section("Figures");
        }
        _sections[^1].Rows.Add([label, Format(value, decimals), unit, comparison]);
    }

    public void Note(string note) => _notes.Add(note);

    public static string Format(double value, int decimals = 1) =>
        value.ToString("N" + Math.Max(0, decimals).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Writes the JSON and markdown files; records the load average now, next to the one at the start.</summary>
    public void Write()
    {
        var loadAfter = LoadAverage.Read();
        var others = MachineBusy.Read().OtherCoresSince(_busyBefore);
        _figures.Add(new Figure("loadavg1.before", _loadBefore.OneMinute, "load"));
        _figures.Add(new Figure("loadavg1.after", loadAfter.OneMinute, "load"));
        if (others is { } cores)
        {
            _figures.Add(new Figure("other_processes.cores", Math.Round(cores, 2), "cores"));
        }
        BenchResults.Write(Name, _figures);

        var md = new StringBuilder();
        md.Append("# ").Append(Name).Append(": ").AppendLine(title).AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {_started:yyyy-MM-dd HH:mm} UTC, {(DateTime.UtcNow - _started).TotalMinutes:F1} min, on {BenchResults.MachineDescription()}.");
        md.AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"Load average (1/5/15 min) before: {_loadBefore}; after: {loadAfter} (this benchmark's own threads count in it).");
        if (others is { } otherCores)
        {
            var noisy = otherCores > 0.25;
            md.Append(CultureInfo.InvariantCulture,
                $" Other processes used {otherCores:F2} of the {Environment.ProcessorCount} cores on average during the run{(noisy ? ": **the machine was shared, figures are noisy**" : ": the machine was essentially ours")}.");
        }
        md.AppendLine();
        md.AppendLine();
        if (_parameters.Count > 0)
        {
            md.Append("Parameters: ").AppendJoin(", ", _parameters.Select(p => $"`{p.Name}` {p.Value}")).AppendLine(".").AppendLine();
        }
        foreach (var (heading, rows) in _sections)
        {
            md.Append("## ").AppendLine(heading).AppendLine();
            md.AppendLine("| Figure | Value | Unit | Limit / comparison |");
            md.AppendLine("|---|---:|---|---|");
            foreach (var row in rows)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {row[0]} | {row[1]} | {row[2]} | {row[3]} |");
            }
            md.AppendLine();
        }
        if (_notes.Count > 0)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (var note in _notes)
            {
                md.Append("- ").AppendLine(note);
            }
        }
        BenchResults.WriteMarkdown(Name, md.ToString());
        Console.WriteLine($"load average before: {_loadBefore}; after: {loadAfter}");
    }
}

/// <summary>/proc/loadavg: how busy the machine was around a run (another build on a 2-core box skews figures).</summary>
internal readonly record struct LoadAverage(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    public static LoadAverage Read()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return new LoadAverage(
                double.Parse(parts[0], CultureInfo.InvariantCulture),
                double.Parse(parts[1], CultureInfo.InvariantCulture),
                double.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return default;
        }
        catch (UnauthorizedAccessException)
        {
            return default;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OneMinute:F2} / {FiveMinutes:F2} / {FifteenMinutes:F2}");
}

/// <summary>
/// The machine's busy CPU time (/proc/stat) and this process's own, so a report can say how much of the machine
/// other processes took during a run: a better noise signal than the load average, which counts our threads too.
/// </summary>
internal readonly record struct MachineBusy(double? BusySeconds, TimeSpan Own, DateTime At)
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    // user, nice, system, irq, softirq, steal: everything but idle and iowait.
    private static readonly int[] BusyFields = [1, 2, 3, 6, 7, 8];

    public static MachineBusy Read()
    {
        double? busy = null;
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal ...
            if (fields.Length > 8 && fields[0] == "cpu")
            {
                var ticks = BusyFields.Sum(i => double.Parse(fields[i], CultureInfo.InvariantCulture));
                busy = ticks / ClockTicksPerSecond;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return new MachineBusy(busy, Environment.CpuUsage.TotalTime, DateTime.UtcNow);
    }

    /// <summary>Average cores other processes kept busy between <paramref name="earlier"/> and this reading.</summary>
    public double? OtherCoresSince(MachineBusy earlier)
    {
        if (BusySeconds is not { } now || earlier.BusySeconds is not { } then)
        {
            return null;
        }
        var wall = (At - earlier.At).TotalSeconds;
        var others = now - then - (Own - earlier.Own).TotalSeconds;
        return wall > 0 ? Math.Max(0, others / wall) : null;
    }
}

/// <summary>Order statistics of a handful of timings.</summary>
internal static class Percentiles
{
    /// <summary>Nearest-rank percentile (q in 0..1) of the values.</summary>
    public static double Of(IReadOnlyCollection<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
