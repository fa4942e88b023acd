using System.Threading.Channels;

namespace Rollup.Sequencer;

/// <summary>
/// The queue of a loop that owns a thread (the log writer, the ack signer): any thread writes, that one thread
/// reads, and blocks when the queue is empty.
/// </summary>
/// <remarks>
/// Blocking on <c>WaitToReadAsync().AsTask()</c> cost twice: the write queued the reader's wake-up to the thread
/// pool (one more thread woken per write), and <c>Task.Wait</c> spins with <c>sched_yield</c> before it sleeps.
/// At 2k tx/s that was a tenth of the node's CPU. Here the write itself sets an event the reader sleeps on, and the
/// event does not spin: the writer's thread wakes the reader directly, and an idle reader costs nothing.
/// </remarks>
internal sealed class ThreadQueue<T> : IDisposable
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });

    private readonly ManualResetEventSlim _ready = new(initialState: false, spinCount: 0);
    private readonly Action _wake;

    public ThreadQueue() => _wake = _ready.Set;

    /// <summary>False once the queue is completed.</summary>
    public bool TryWrite(T item) => _channel.Writer.TryWrite(item);

    public bool TryRead(out T item) => _channel.Reader.TryRead(out item!);

    /// <summary>No more writes; the reader drains what is queued, then <see cref="WaitToRead"/> returns false.</summary>
    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);

    /// <summary>For the reading thread: blocks until an item is queued; false once completed and drained.</summary>
    public bool WaitToRead()
    {
#pragma warning disable CA2012 // Consumed exactly once, through its awaiter, as an await would.
        var awaiter = _channel.Reader.WaitToReadAsync().GetAwaiter();
#pragma warning restore CA2012
        if (!awaiter.IsCompleted)
        {
            _ready.Reset();
            // Runs on the thread whose write (or completion) finished the wait, since the channel allows synchronous
            // continuations: only the event is set there. Registered after the reset, so it cannot be lost.
            awaiter.UnsafeOnCompleted(_wake);
            _ready.Wait();
        }
        return awaiter.GetResult();
    }

    /// <summary>Once the reading loop has ended.</summary>
    public void Dispose() => _ready.Dispose();
}
