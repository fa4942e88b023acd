using System.Globalization;
using Grpc.Core;
using Rollup.Api;

namespace Rollup.Sequencer.Tests;

/// <summary>The Query API's read threads: their priority as the kernel reports it, the bounded queue, and failures carried back.</summary>
public class ReadPoolTests
{
    [Fact]
    public async Task A_read_runs_at_nice_19_as_the_kernel_sees_its_thread_and_its_caller_resumes_elsewhere()
    {
        using var pool = new ReadPool(threads: 2, queueLimit: 16);
        var (nice, name) = await pool.RunAsync(() => (KernelNiceOfThisThread(), Thread.CurrentThread.Name));
        Assert.StartsWith("rollup-reader-", name, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(ReadPool.ReaderNice, nice);
        }
        // The continuation is not run on the low-priority reader (the response is written at normal priority).
        Assert.False(Thread.CurrentThread.Name?.StartsWith("rollup-reader-", StringComparison.Ordinal) ?? false);
    }

    [Fact]
    public async Task A_full_queue_refuses_the_next_read_with_resource_exhausted_and_every_queued_read_still_completes()
    {
        using var pool = new ReadPool(threads: 1, queueLimit: 3);
        using var gate = new ManualResetEventSlim(false);
        using var started = new ManualResetEventSlim(false);
        var holding = pool.RunAsync(() =>
        {
            started.Set();
            gate.Wait();
            return -1;
        });
        started.Wait(); // the one reader is now busy: what follows waits in the queue
        var queued = new List<Task<int>>();
        for (var i = 0; i < 3; i++)
        {
            var k = i;
            queued.Add(pool.RunAsync(() => k));
        }
        Assert.Equal(3, pool.Waiting);
        var refused = await Assert.ThrowsAsync<RpcException>(() => pool.RunAsync(() => 99));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("3 reads waiting", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, pool.Refused);

        gate.Set();
        Assert.Equal(-1, await holding);
        var values = await Task.WhenAll(queued);
        Assert.Equal((0, 1, 2), (values[0], values[1], values[2]));
        Assert.Equal(7, await pool.RunAsync(() => 7)); // room again
    }

    [Fact]
    public async Task A_read_that_fails_fails_its_own_call_with_its_status_and_the_reader_goes_on()
    {
        using var pool = new ReadPool(threads: 1, queueLimit: 4);
        var error = await Assert.ThrowsAsync<RpcException>(() => pool.RunAsync<int>(() => throw new RpcException(new Status(StatusCode.NotFound, "account 0x01 has no state"))));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(5, await pool.RunAsync(() => 5));
    }

    /// <summary>Field 19 of /proc/thread-self/stat: the nice value the kernel schedules this thread with (-1 off Linux).</summary>
    private static int KernelNiceOfThisThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }
        var stat = File.ReadAllText("/proc/thread-self/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }
}
