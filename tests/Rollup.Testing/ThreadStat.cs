using System.Globalization;

namespace Rollup.Testing;

/// <summary>Reads a thread's scheduling state from Linux's /proc, as the kernel sees it.</summary>
public static class ThreadStat
{
    /// <summary>
    /// The nice value in a /proc stat file (<c>/proc/thread-self/stat</c>, <c>/proc/self/task/TID/stat</c>): field 19,
    /// counted after the parenthesised command name, which may hold spaces.
    /// </summary>
    public static int NiceOf(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
