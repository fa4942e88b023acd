using System.Globalization;

namespace Rollup.Bench;

/// <summary>
/// CPU time read from /proc at one instant: the node process's, this process's, and the whole machine's busy
/// time, plus the load average. Two samples give CPU per transaction for node and load generator, and how many
/// cores other processes (builds, other benchmarks) took meanwhile, so a figure can be judged by its conditions.
/// </summary>
internal readonly record struct CpuSample(long Timestamp, double NodeSeconds, double SelfSeconds, double MachineBusySeconds, double LoadAverage)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on

    public static CpuSample Take(int nodePid) => new(
        System.Diagnostics.Stopwatch.GetTimestamp(),
        ReadProcessSeconds(nodePid),
        ReadProcessSeconds(Environment.ProcessId),
        ReadMachineBusySeconds(),
        LoadAverage1());

    /// <summary>The PID of the `rollup node` this process started (its child whose command line names the data dir).</summary>
    public static int FindChildNode(string dataDir)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var fields = StatFields(pid);
                if (fields is null || fields[1] != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
                {
                    continue;
                }
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(dataDir, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return 0;
    }

    private static double ReadProcessSeconds(int pid)
    {
        var fields = pid == 0 ? null : StatFields(pid);
        // Fields after the command: [0] state, [1] ppid, ... [11] utime, [12] stime (proc(5) fields 14 and 15).
        return fields is null ? 0 : (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>/proc/PID/stat after the "(comm)" field, split on spaces; null if it cannot be read.</summary>
    private static string[]? StatFields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        var close = text.LastIndexOf(')');
        return close < 0 ? null : text[(close + 2)..].Split(' ');
    }

    private static double ReadMachineBusySeconds()
    {
        // cpu  user nice system idle iowait irq softirq steal ...: busy is everything but idle and iowait.
        var line = File.ReadLines("/proc/stat").First();
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var busy = values.Sum() - values[3] - values[4];
        if (values.Length > 8)
        {
            busy -= values[8]; // guest time is already counted in user
        }
        if (values.Length > 9)
        {
            busy -= values[9];
        }
        return busy / TicksPerSecond;
    }

    private static double LoadAverage1() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
