using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rollup.Api.Hosting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Chain;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Sequencer.Log;

namespace Rollup.Sequencer;

/// <summary>
/// Orders signed transactions: admits them (signature, nonce, limits), makes them durable in the log and
/// acknowledges them, cuts blocks every interval or size, executes them and publishes the results.
/// First come, first served: the order of the log is the order in which admitted transactions reached it.
/// </summary>
public sealed partial class Sequencer : IChainView, IAsyncDisposable
{
    private readonly SequencerOptions _options;
    private readonly ILogger _logger;
    private readonly ExecutionEngine _engine;
    private readonly ExecutedChain _chain;
    private readonly TxLog _log;
    private readonly GroupCommitLog _writer;
    private readonly AckSigner _acks;
    private readonly AdmissionWorkers _workers = new(Environment.ProcessorCount);
    private readonly TurnGate _turns = new();
    private readonly ConcurrentDictionary<Address, AccountAdmission> _accounts = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _depositLock = new();
    private readonly Lock _admitLock = new();
    private ulong _nextDepositIndex;
    private int _disposed;
    private Task _producer = Task.CompletedTask;

    private Sequencer(SequencerOptions options, ILogger logger, ExecutionEngine engine, TxLog log)
    {
        _options = options;
        _logger = logger;
        _engine = engine;
        _chain = new ExecutedChain(engine);
        _log = log;
        _writer = new GroupCommitLog(log, syncTimes: Metrics.LogSync);
        _acks = new AckSigner(engine.Domain, options.Key, options.AckTreeMaxLeaves, Metrics.AckTreeSigned);
        _writer.Failed.ContinueWith(failed => Fail("transaction log writer", failed.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var failedLoops = Metrics.Factory.CreateGauge("rollup_loop_failed", "1 for a background loop that stopped with an error: the node admits nothing and must be restarted.", "loop");
        var pending = Metrics.Factory.CreateGauge("rollup_pending_transactions", "Durable transactions waiting for a block.");
        var subscribers = Metrics.Factory.CreateGauge("rollup_stream_subscribers", "Open block subscriptions (every stream holds one).");
        Metrics.Registry.AddBeforeCollectCallback(() =>
        {
            pending.Set(_writer.PendingCount);
            subscribers.Set(_chain.SubscriberCount);
            if (Faults.First is { } fault)
            {
                failedLoops.WithLabels(fault.Loop).Set(1);
            }
        });
    }

    public SequencerOptions Options => _options;

    /// <summary>The log's writer; tests stop it to see what admission does when the log refuses appends.</summary>
    internal GroupCommitLog LogWriter => _writer;

    public Address Address => _options.Key.Address;

    public SequencerMetrics Metrics { get; } = new();

    /// <summary>The sequencer's background loops (block producer, log writer): the first that failed, if one did.</summary>
    public LoopFaults Faults { get; } = new();

    /// <summary>How many transactions the log holds (durable, whether executed yet or not).</summary>
    public ulong LoggedTransactions => _log.NextSequence;

    public ulong AcknowledgedTransactions => LoggedTransactions;

    /// <summary>The metrics in the Prometheus text format.</summary>
    public string RenderMetrics() => Metrics.Export();

    /// <summary>Opens state and log, replays logged blocks the state has not seen, and starts producing blocks.</summary>
    public static Sequencer Start(SequencerOptions options, ILogger logger)
    {
        Directory.CreateDirectory(options.DataDir);
        var opening = System.Diagnostics.Stopwatch.StartNew();
        var engine = ExecutionEngine.Open(Path.Combine(options.DataDir, "state"), options.Engine);
        LogStateOpened(logger, engine.Head.BlockNumber, opening.Elapsed.TotalSeconds);
        TxLog? log = null;
        Sequencer? sequencer = null;
        try
        {
            log = TxLog.Open(Path.Combine(options.DataDir, "txlog"), options.Engine.StorageWriteBufferBytes);
            sequencer = new Sequencer(options, logger, engine, log);
            sequencer.Recover();
            sequencer._producer = Task.Factory.StartNew(sequencer.ProduceBlocks, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return sequencer;
        }
        catch
        {
            // Stops the threads the constructor started (log writer, ack signer, admission workers), closes log and engine.
            if (sequencer is not null)
            {
                sequencer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            else
            {
                log?.Dispose();
                engine.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// A background loop stopped: from now on admission refuses everything as Unavailable with the reason (what is
    /// already durable in the log executes after a restart), and <see cref="Faults"/> says which loop and why.
    /// </summary>
    internal void Fail(string loop, Exception error)
    {
        if (Faults.Report(loop, error))
        {
            LogLoopFailed(loop, error.Message, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "state opened at block {Block} in {Seconds:F1} s (its trees rebuilt from the records)")]
    private static partial void LogStateOpened(ILogger logger, ulong block, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Loop} failed: {Reason}; admission stopped, restart the node to recover")]
    private partial void LogLoopFailed(string loop, string reason, Exception error);

    /// <summary>Runs <paramref name="query"/> against the engine between blocks.</summary>
    public T Read<T>(Func<ExecutionEngine, T> query) => _chain.Read(query);

    public T ReadStored<T>(Func<IBlockStore, T> query) => _chain.ReadStored(query);

    public T ReadCommitted<T>(Func<Execution.Blocks.Views.CommittedView, T> query) => _chain.ReadCommitted(query);

    /// <summary>
    /// Drops the transaction log's blocks through <paramref name="finalBlock"/> (a block whose batch is final on L1), or
    /// through the state's head if that is behind it, once the state holding them is flushed to disk: the log keeps
    /// what recovery needs, the blocks the state does not hold for good yet. Returns the block pruned through and the
    /// transactions dropped.
    /// </summary>
    public (ulong Through, ulong Dropped) PruneLog(ulong finalBlock)
    {
        var through = Math.Min(finalBlock, _chain.Read(engine => engine.Head.BlockNumber));
        if (through == 0)
        {
            return (0, 0);
        }
        _chain.FlushState();
        return (through, _log.PruneThrough(through));
    }

    /// <summary>The L1 deposit queue index the next deposit appended to the log must have (logged, executed or not).</summary>
    public ulong NextDepositIndex
    {
        get
        {
            lock (_depositLock)
            {
                return _nextDepositIndex;
            }
        }
    }

    /// <summary>
    /// The deposit the L2 credited at queue index <paramref name="index"/>: from the stored blocks if it is executed, else
    /// from the log's transactions past the last executed block. Null if it is neither (not durable yet, or its block is
    /// no longer stored).
    /// </summary>
    public Transaction? FindCreditedDeposit(ulong index)
    {
        var (executedDeposits, executedSequence) = _chain.Read(engine => (engine.Head.NextDepositIndex, engine.NextSequence));
        return index < executedDeposits
            ? _chain.ReadStored(store => store.FindExecutedDeposit(index))
            : FindLoggedDeposit(index, executedSequence);
    }

    private Transaction? FindLoggedDeposit(ulong index, ulong firstSequence) =>
        StoredDeposits.DepositIn(_log.ReadRange(firstSequence, Math.Max(firstSequence, _log.NextSequence)), index);

    /// <summary>
    /// Appends a system transaction (an L1 deposit) without signature or nonce; completes when durable. Deposits
    /// enter in queue order, each once: one whose index is not <see cref="NextDepositIndex"/> is refused.
    /// </summary>
    public Task<ulong> AppendSystemAsync(Transaction deposit)
    {
        if (deposit.Kind != TxKind.Deposit)
        {
            throw new ArgumentException("only deposits are system transactions", nameof(deposit));
        }
        var encoded = new byte[TransactionCodec.GetEncodedLength(deposit)];
        TransactionCodec.Encode(deposit, encoded);
        lock (_depositLock)
        {
            if (deposit.DepositIndex != _nextDepositIndex)
            {
                throw new InvalidOperationException($"deposit {deposit.DepositIndex} is out of order: the log expects deposit {_nextDepositIndex}");
            }
            var appended = _writer.AppendAsync(encoded, deposit);
            _nextDepositIndex++;
            return appended;
        }
    }

    /// <summary>A live feed of executed blocks; a subscriber that falls behind by <paramref name="capacity"/> blocks is dropped.</summary>
    public ChannelReader<BlockResult> Subscribe(int capacity = 256) => _chain.Subscribe(capacity);

    public void Unsubscribe(ChannelReader<BlockResult> reader) => _chain.Unsubscribe(reader);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _producer.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _acks.DisposeAsync().ConfigureAwait(false);
        _workers.Dispose();
        _log.Dispose();
        _chain.Dispose();
        _stopping.Dispose();
    }

}
