using System.Collections.Concurrent;
using Rollup.Execution.Parallel;

namespace Rollup.Sequencer.Admission;

/// <summary>
/// The threads that do admission's CPU work (signature recovery), one per core, at a lower priority than the rest of
/// the node. Callers await the work instead of blocking a thread-pool thread on it: a blocked pool thread on a 2-core
/// machine starved the pool, and the pool then added threads at a few a second, which showed as ack latencies of
/// hundreds of milliseconds at moderate load. The lower priority lets the short latency-critical steps (the log
/// writer, the ack signer, HTTP/2 reads and writes, block production) run as soon as they are ready, ahead of the
/// long-running crypto, which still gets every idle cycle.
/// </summary>
internal sealed class AdmissionWorkers : IDisposable
{
    /// <summary>Items below which a batch is not split: a hand-off costs microseconds, a recovery tens.</summary>
    public const int MinPerRange = 8;

    private readonly BlockingCollection<(Job Job, int From, int To)> _queue = new(new ConcurrentQueue<(Job, int, int)>());
    private readonly Thread[] _threads;

    public AdmissionWorkers(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"rollup-admit-{i}" };
            _threads[i].Start();
        }
    }

    public int Threads => _threads.Length;

    /// <summary>Runs <paramref name="body"/> over [0, count) in ranges on the workers; completes when every range has run.</summary>
    public Task ForAsync<TState>(int count, TState state, Action<TState, int, int> body)
    {
        if (count <= 0)
        {
            return Task.CompletedTask;
        }
        if (count < MinPerRange)
        {
            // A few recoveries take less than the two thread hops that handing them out costs (at light load most
            // batches are this small): the caller does them.
            try
            {
                body(state, 0, count);
                return Task.CompletedTask;
            }
#pragma warning disable CA1031 // Failing the task, as the workers do, keeps the caller's ticket from being lost to a throw.
            catch (Exception error)
#pragma warning restore CA1031
            {
                return Task.FromException(error);
            }
        }
        // About two ranges per worker, so a worker held up by something else does not hold up the whole batch.
        var size = Math.Max(MinPerRange, (count + 2 * _threads.Length - 1) / (2 * _threads.Length));
        var ranges = (count + size - 1) / size;
        var job = new Job<TState>(state, body, ranges);
        for (var from = 0; from < count; from += size)
        {
            _queue.Add((job, from, Math.Min(count, from + size)));
        }
        return job.Task;
    }

    private void Work()
    {
        ThreadNice.TrySetCurrent(ThreadNice.Background);
        foreach (var (job, from, to) in _queue.GetConsumingEnumerable())
        {
            job.Run(from, to);
        }
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

    private abstract class Job : TaskCompletionSource
    {
        private int _remaining;
        private Exception? _error;

        protected Job(int ranges)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            _remaining = ranges;
        }

        public void Run(int from, int to)
        {
            try
            {
                Body(from, to);
            }
#pragma warning disable CA1031 // A failed range fails the job; the awaiting caller gets the exception.
            catch (Exception error)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref _error, error, null);
            }
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                if (_error is { } error)
                {
                    TrySetException(error);
                }
                else
                {
                    TrySetResult();
                }
            }
        }

        protected abstract void Body(int from, int to);
    }

    private sealed class Job<TState>(TState state, Action<TState, int, int> body, int ranges) : Job(ranges)
    {
        protected override void Body(int from, int to) => body(state, from, to);
    }
}
