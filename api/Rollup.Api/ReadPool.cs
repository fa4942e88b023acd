using System.Collections.Concurrent;
using Grpc.Core;
using Rollup.Execution.Parallel;

namespace Rollup.Api;

/// <summary>
/// The threads that serve the Query API's state reads, at the lowest scheduling priority (nice 19): below block
/// execution (nice 10, and its workers) and the HTTP/2 and ack path (0), so a query storm takes only the CPU those
/// leave idle and never lengthens a block. A read waits in a bounded queue; when the queue is full the call is refused
/// with RESOURCE_EXHAUSTED at once instead of piling up memory. The read's result is handed back to the thread pool,
/// so the response is written at normal priority.
/// </summary>
/// <remarks>
/// Served on the thread pool, 2,000 reads a second beside a 10k tx/s load took 3-4 ms from each ~9.5 ms block on
/// 2 cores (bench/results/committed-view-2026-12-02.md): the pool's threads run at nice 0 and the block producer at 10,
/// so the readers won every contended time slice.
/// </remarks>
public sealed class ReadPool : IDisposable
{
    /// <summary>Linux's lowest priority.</summary>
    public const int ReaderNice = 19;

    private readonly BlockingCollection<IRead> _queue;
    private readonly Thread[] _threads;
    private long _refused;

    public ReadPool(int threads, int queueLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueLimit, 1);
        QueueLimit = queueLimit;
        _queue = new BlockingCollection<IRead>(new ConcurrentQueue<IRead>(), queueLimit);
        var metrics = Prometheus.Metrics.WithCustomRegistry(Registry);
        var waiting = metrics.CreateGauge("rollup_query_reads_waiting", "State reads queued for a read thread now.");
        var refused = metrics.CreateCounter("rollup_query_reads_refused_total", "State reads refused with RESOURCE_EXHAUSTED because the read queue was full.");
        Registry.AddBeforeCollectCallback(() =>
        {
            waiting.Set(Waiting);
            refused.IncTo(Refused);
        });
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(ServeReads) { IsBackground = true, Name = $"rollup-reader-{i}" };
            _threads[i].Start();
        }
    }

    public int Threads => _threads.Length;

    /// <summary>The pool's gauges for <c>/metrics</c>.</summary>
    public Prometheus.CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public int QueueLimit { get; }

    /// <summary>Reads waiting for a reader thread now.</summary>
    public int Waiting => _queue.Count;

    /// <summary>Reads refused because the queue was full, since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Runs <paramref name="read"/> on a reader thread; its exception (an <see cref="RpcException"/> such as NOT_FOUND) is the task's.</summary>
    public Task<T> RunAsync<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var work = new Read<T>(read);
        if (!_queue.TryAdd(work))
        {
            Interlocked.Increment(ref _refused);
            return Task.FromException<T>(new RpcException(new Status(StatusCode.ResourceExhausted,
                $"the node has {QueueLimit} reads waiting already (Node:ReadQueueLimit); retry later")));
        }
        return work.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _queue.Dispose();
    }

    private void ServeReads()
    {
        ThreadNice.TrySetCurrent(ReaderNice);
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            work.Run();
        }
    }

    private interface IRead
    {
        void Run();
    }

    private sealed class Read<T>(Func<T> read) : IRead
    {
        // Asynchronous continuations: the caller's await resumes on the thread pool, not on this low-priority thread.
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _done.Task;

        public void Run()
        {
            try
            {
                _done.SetResult(read());
            }
#pragma warning disable CA1031 // Every failure of a read is its caller's, carried by the task.
            catch (Exception error)
#pragma warning restore CA1031
            {
                _done.SetException(error);
            }
        }
    }
}
