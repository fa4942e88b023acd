using System.Threading.Channels;
using Rollup.Execution.Blocks;

namespace Rollup.Execution.Chain;

/// <summary>
/// An engine shared between the one writer that executes blocks and any number of readers, with the feed of
/// executed blocks: the part of a node that the sequencer and the validator have in common.
/// </summary>
public sealed class ExecutedChain : IChainView, IDisposable
{
    private readonly ExecutionEngine _engine;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly List<Channel<BlockResult>> _subscribers = [];
    private readonly Lock _subscribersLock = new();
    private Exception? _failure;

    public ExecutedChain(ExecutionEngine engine)
    {
        _engine = engine;
    }

    public int SubscriberCount
    {
        get
        {
            lock (_subscribersLock)
            {
                return _subscribers.Count;
            }
        }
    }

    public ulong AcknowledgedTransactions => Read(engine => engine.NextSequence);

    public T Read<T>(Func<ExecutionEngine, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _lock.EnterReadLock();
        try
        {
            ThrowIfFailed();
            return query(_engine);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public T ReadCommitted<T>(Func<Execution.Blocks.Views.CommittedView, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfFailed();
        var view = _engine.AcquireView() ?? throw new ChainUnavailableException("the engine has no committed state yet");
        try
        {
            return query(view);
        }
        finally
        {
            ExecutionEngine.ReleaseView(view);
        }
    }

    /// <summary>
    /// Runs <paramref name="query"/> against the stored blocks without the lock: each block's records are written in one
    /// batch and the head is published after it, so a query sees whole blocks only, and execution never waits for it.
    /// </summary>
    public T ReadStored<T>(Func<IBlockStore, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfFailed();
        return query(_engine);
    }

    /// <summary>Flushes the committed state to disk (<see cref="ExecutionEngine.FlushToDisk"/>), beside the writer.</summary>
    public void FlushState()
    {
        ThrowIfFailed();
        _engine.FlushToDisk();
    }

    /// <summary>Executes <paramref name="block"/> with readers held off; the caller publishes the result when it is ready to.</summary>
    public BlockResult Execute(Block block)
    {
        _lock.EnterWriteLock();
        try
        {
            ThrowIfFailed();
            return _engine.Execute(block);
        }
        catch (Exception error) when (_failure is null)
        {
            // Whatever the engine changed in memory before the error is not a committed block: nothing reads it again.
            _failure = error;
            EndSubscriptions(new ChainUnavailableException($"the engine failed executing block {block.Number}: {error.Message}", error));
            throw;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Publish(BlockResult result)
    {
        lock (_subscribersLock)
        {
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Writer.TryWrite(result))
                {
                    // A subscriber that cannot keep up is dropped, never waited for.
                    _subscribers[i].Writer.TryComplete(new SubscriberTooSlowException());
                    _subscribers.RemoveAt(i);
                }
            }
        }
    }

    public ChannelReader<BlockResult> Subscribe(int capacity = 256)
    {
        var channel = Channel.CreateBounded<BlockResult>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (_subscribersLock)
        {
            _subscribers.Add(channel);
        }
        return channel.Reader;
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new ChainUnavailableException($"the engine failed executing a block and holds no consistent state until the node restarts: {failure.Message}", failure);
        }
    }

    private void EndSubscriptions(Exception error)
    {
        lock (_subscribersLock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete(error);
            }
            _subscribers.Clear();
        }
    }

    public void Unsubscribe(ChannelReader<BlockResult> reader)
    {
        lock (_subscribersLock)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
        }
    }

    /// <summary>Ends every feed and closes the engine.</summary>
    public void Dispose()
    {
        lock (_subscribersLock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }
            _subscribers.Clear();
        }
        _engine.Dispose();
        _lock.Dispose();
    }
}
