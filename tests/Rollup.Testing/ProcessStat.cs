namespace Rollup.Testing;

/// <summary>What Linux says about a process by its PID: resident memory and open file descriptors.</summary>
public static class ProcessStat
{
    /// <summary>VmRSS from /proc/PID/status, in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:	   95232 kB"
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }

    /// <summary>The soft limit on open files (RLIMIT_NOFILE) from /proc/PID/limits; .NET raises it to the hard limit at start.</summary>
    public static long OpenFilesLimit(int pid)
    {
        // "Max open files            20000                20000                files"
        var line = File.ReadLines($"/proc/{pid}/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? long.MaxValue : long.Parse(soft, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Open file descriptors: the entries of /proc/PID/fd.</summary>
    public static int OpenFiles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
}
