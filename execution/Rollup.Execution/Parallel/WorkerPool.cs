namespace Rollup.Execution.Parallel;

/// <summary>One unit of parallel work: called once for every index in 0..count-1, from any worker.</summary>
public interface IParallelJob
{
    void Execute(int index);
}

/// <summary>
/// A fixed set of worker threads that run the items of one job at a time, with the calling thread taking
/// part. Items are handed out by an atomic counter, so which thread runs which item varies but every
/// item runs exactly once; jobs must not depend on the thread (markets are independent). No allocation
/// per job.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim _start;
    private readonly CountdownEvent _done;
    private IParallelJob? _job;
    private int _count;
    private int _next;
    private Exception? _failure;
    private volatile bool _stopping;

    /// <param name="workers">Threads that execute items, counting the caller; 1 runs everything on the caller.</param>
    public WorkerPool(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        _threads = new Thread[workers - 1];
        _start = new SemaphoreSlim(0);
        _done = new CountdownEvent(1);
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"rollup-worker-{i + 1}" };
            _threads[i].Start();
        }
    }

    public int Workers { get; }

    /// <summary>Runs <paramref name="job"/> for indices 0..count-1 and returns when all are done; rethrows the first failure.</summary>
    public void Run(IParallelJob job, int count)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (count == 0)
        {
            return;
        }
        if (_threads.Length == 0 || count == 1)
        {
            for (var i = 0; i < count; i++)
            {
                job.Execute(i);
            }
            return;
        }
        _job = job;
        _count = count;
        _next = 0;
        _failure = null;
        var helpers = Math.Min(_threads.Length, count - 1);
        _done.Reset(helpers);
        _start.Release(helpers);
        Drain();
        _done.Wait();
        _job = null;
        if (_failure is not null)
        {
            throw new AggregateException("a parallel job failed", _failure);
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _start.Wait();
            if (_stopping)
            {
                return;
            }
            Drain();
            _done.Signal();
        }
    }

    private void Drain()
    {
        var job = _job!;
        int index;
        while ((index = Interlocked.Increment(ref _next) - 1) < _count)
        {
            try
            {
                job.Execute(index);
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref _failure, error, null);
            }
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        if (_threads.Length > 0)
        {
            _start.Release(_threads.Length);
        }
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _start.Dispose();
        _done.Dispose();
    }
}
