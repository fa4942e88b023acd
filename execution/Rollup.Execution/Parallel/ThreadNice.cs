using System.Runtime.InteropServices;

namespace Rollup.Execution.Parallel;

/// <summary>
/// Lowers the scheduling priority of the calling thread (its Linux nice value). .NET's Thread.Priority does nothing on
/// Linux; a thread's nice value is per thread there, and raising it needs no privilege.
/// </summary>
public static partial class ThreadNice
{
    /// <summary>
    /// For the long CPU work (signature recovery, block execution): below the default 0, so the short latency-critical
    /// steps (HTTP/2, the log writer, the ack signer) run first; 19 is the lowest priority.
    /// </summary>
    public const int Background = 10;

    private const int PrioProcess = 0; // with a thread id, setpriority acts on that one thread

    /// <summary>Sets the calling thread's nice value; false where that is not possible (not Linux, or refused).</summary>
    public static bool TrySetCurrent(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return SetPriority(PrioProcess, GetThreadId(), nice) == 0;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
