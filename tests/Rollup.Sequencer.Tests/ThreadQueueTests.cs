namespace Rollup.Sequencer.Tests;

public sealed class ThreadQueueTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reader_GetsEveryItemInOrder_ThenFalseOnceCompletedAndDrained()
    {
        using var queue = new ThreadQueue<int>();
        var reader = Task.Factory.StartNew(() =>
        {
            var read = new List<int>();
            while (queue.WaitToRead())
            {
                while (queue.TryRead(out var item))
                {
                    read.Add(item);
                }
            }
            return read;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(queue.TryWrite(i));
        }
        queue.Complete();

        var items = await reader.WaitAsync(Limit);
        Assert.Equal(Enumerable.Range(0, 10_000), items);
        Assert.False(queue.TryWrite(-1));
    }

    [Fact]
    public async Task PingPong_EveryWriteWakesTheBlockedReader()
    {
        // Each side writes only after the other has read, so every read starts on an empty queue and blocks: a lost
        // wake-up leaves both sides waiting and the test fails on its time limit instead of finishing.
        const int Rounds = 20_000;
        using var ping = new ThreadQueue<int>();
        using var pong = new ThreadQueue<int>();
        var echo = Task.Factory.StartNew(() =>
        {
            while (ping.WaitToRead())
            {
                while (ping.TryRead(out var item))
                {
                    pong.TryWrite(item + 1);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var driver = Task.Factory.StartNew(() =>
        {
            var sum = 0L;
            for (var i = 0; i < Rounds; i++)
            {
                ping.TryWrite(i);
                Assert.True(pong.WaitToRead());
                Assert.True(pong.TryRead(out var answer));
                Assert.Equal(i + 1, answer);
                sum += answer;
            }
            return sum;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Assert.Equal((long)Rounds * (Rounds + 1) / 2, await driver.WaitAsync(Limit));
        ping.Complete();
        await echo.WaitAsync(Limit);
    }

    [Fact]
    public async Task Complete_WakesABlockedReader()
    {
        using var queue = new ThreadQueue<int>();
        using var blocking = new ManualResetEventSlim();
        var reader = Task.Factory.StartNew(() =>
        {
            blocking.Set();
            return queue.WaitToRead();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        blocking.Wait(Limit); // the reader is at, or about to enter, its wait: either way Complete must end it

        queue.Complete();

        Assert.False(await reader.WaitAsync(Limit));
    }
}
