using Rollup.Execution.Parallel;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

public sealed class AdmissionWorkersTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(33)]
    [InlineData(1000)]
    public async Task ForAsync_RunsEveryIndexOnce_OnTheWorkersUnlessTooFewToHandOut(int count)
    {
        using var workers = new AdmissionWorkers(2);
        var runs = new int[count];
        var threads = new HashSet<string>();
        await workers.ForAsync(count, (runs, threads), static (s, from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                Interlocked.Increment(ref s.runs[i]);
            }
            lock (s.threads)
            {
                s.threads.Add(Thread.CurrentThread.Name ?? "");
            }
        });
        Assert.All(runs, n => Assert.Equal(1, n));
        var caller = Thread.CurrentThread.Name ?? "";
        if (count >= AdmissionWorkers.MinPerRange)
        {
            Assert.All(threads, name => Assert.StartsWith("rollup-admit-", name, StringComparison.Ordinal));
        }
        else if (count > 0)
        {
            Assert.Equal([caller], threads);
        }
    }

    [Fact]
    public async Task ForAsync_ARangeThatThrows_FailsTheCallAndTheWorkersGoOn()
    {
        using var workers = new AdmissionWorkers(2);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => workers.ForAsync(100, 0, static (_, from, _) =>
        {
            if (from == 0)
            {
                throw new InvalidOperationException("range 0");
            }
        }));
        Assert.Equal("range 0", error.Message);

        // A batch too small to hand out fails the same way: through the task, never by throwing at the call.
        var small = workers.ForAsync(3, 0, static (_, _, _) => throw new InvalidOperationException("inline"));
        Assert.Equal("inline", (await Assert.ThrowsAsync<InvalidOperationException>(() => small)).Message);

        var done = 0;
        await workers.ForAsync(50, 0, (_, from, to) => Interlocked.Add(ref done, to - from));
        Assert.Equal(50, done);
    }

    [Fact]
    public void ThreadNice_SetsTheCallingThreadsNiceValueOnly()
    {
        Assert.True(OperatingSystem.IsLinux(), "the node runs on Linux, where nice values are per thread");
        int? niced = null;
        var thread = new Thread(() =>
        {
            Assert.True(ThreadNice.TrySetCurrent(3));
            niced = ThreadStat.NiceOf("/proc/thread-self/stat");
        });
        thread.Start();
        thread.Join();
        Assert.Equal(3, niced);
        Assert.Equal(0, ThreadStat.NiceOf("/proc/self/stat"));
    }
}

public sealed class TurnGateTests
{
    [Fact]
    public async Task Tickets_PassInTheOrderTakenWhateverOrderTheyArrive()
    {
        var gate = new TurnGate();
        var tickets = Enumerable.Range(0, 5).Select(_ => gate.TakeTicket()).ToArray();
        var passed = new List<long>();
        // The later tickets arrive first; each passes only once every earlier one has left.
        var waits = tickets.Reverse().Select(async ticket =>
        {
            await gate.WaitAsync(ticket);
            lock (passed)
            {
                passed.Add(ticket);
            }
            gate.Leave();
        }).ToArray();
        await Task.WhenAll(waits);
        Assert.Equal(tickets, passed);
    }

    [Fact]
    public async Task ALaterTicket_WaitsUntilTheEarlierLeaves()
    {
        var gate = new TurnGate();
        var first = gate.TakeTicket();
        var second = gate.TakeTicket();
        var waiting = gate.WaitAsync(second);
        Assert.True(gate.WaitAsync(first).IsCompleted);
        Assert.False(waiting.IsCompleted);
        gate.Leave();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
