using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rollup.Execution.Blocks;
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
    private readonly ConcurrentDictionary<Address, AccountAdmission> _accounts = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _depositLock = new();
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
        _writer = new GroupCommitLog(log);
    }

    public SequencerOptions Options => _options;

    public Address Address => _options.Key.Address;

    public SequencerMetrics Metrics { get; } = new();

    /// <summary>How many transactions the log holds (durable, whether executed yet or not).</summary>
    public ulong LoggedTransactions => _log.NextSequence;

    /// <summary>The metrics in the Prometheus text format.</summary>
    public string RenderMetrics()
    {
        return Metrics.Render(_writer.PendingCount, _chain.SubscriberCount);
    }

    /// <summary>Opens state and log, replays logged blocks the state has not seen, and starts producing blocks.</summary>
    public static Sequencer Start(SequencerOptions options, ILogger logger)
    {
        Directory.CreateDirectory(options.DataDir);
        var engine = ExecutionEngine.Open(Path.Combine(options.DataDir, "state"), options.Engine);
        TxLog? log = null;
        try
        {
            log = TxLog.Open(Path.Combine(options.DataDir, "txlog"));
            var sequencer = new Sequencer(options, logger, engine, log);
            sequencer.Recover();
            sequencer._producer = Task.Factory.StartNew(sequencer.ProduceBlocks, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            return sequencer;
        }
        catch
        {
            log?.Dispose();
            engine.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="query"/> against the engine between blocks.</summary>
    public T Read<T>(Func<ExecutionEngine, T> query) => _chain.Read(query);

    /// <summary>Admits one signed transaction. Completes once it is durable (accepted) or refused.</summary>
    public async Task<SubmitResult> SubmitAsync(Transaction tx)
    {
        var result = await AdmitAsync(tx).ConfigureAwait(false);
        Metrics.Admitted(result.Status);
        return result;
    }

    private async Task<SubmitResult> AdmitAsync(Transaction tx)
    {
        if (!tx.Kind.IsSigned())
        {
            return SubmitResult.Rejected(SubmitStatus.Invalid, $"clients cannot submit {tx.Kind} transactions");
        }
        var invalid = TransactionCodec.Validate(tx);
        if (invalid != TxDecodeError.None)
        {
            return SubmitResult.Rejected(SubmitStatus.Invalid, TransactionCodec.Describe(invalid));
        }
        var signature = TransactionSigning.TryRecoverSigner(tx, _engine.Domain, out var signer);
        if (signature != SignatureError.None)
        {
            return SubmitResult.Rejected(SubmitStatus.BadSignature, Secp256k1.Describe(signature));
        }
        if (signer != tx.Account)
        {
            return SubmitResult.Rejected(SubmitStatus.BadSignature, $"signed by {signer}, not by the account {tx.Account}");
        }
        tx = Canonical(tx);
        var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, encoded);

        var account = Admission(tx.Account);
        Task<ulong> durable;
        lock (account.Gate)
        {
            if (account.Pending >= _options.MaxPendingPerAccount)
            {
                return SubmitResult.Rejected(SubmitStatus.TooManyPending, $"{account.Pending} transactions of this account are waiting for a block (limit {_options.MaxPendingPerAccount})");
            }
            var window = account.Window;
            if (!window.TryConsume(tx.Nonce, out var replay))
            {
                return replay switch
                {
                    ReplayError.Replayed => SubmitResult.Rejected(SubmitStatus.Replayed, $"nonce {tx.Nonce} was already used"),
                    ReplayError.TooOld => SubmitResult.Rejected(SubmitStatus.NonceTooOld, $"nonce {tx.Nonce} is below the account's window"),
                    _ => SubmitResult.Rejected(SubmitStatus.NonceTooFar, $"nonce {tx.Nonce} jumps too far ahead"),
                };
            }
            try
            {
                durable = _writer.AppendAsync(encoded, tx);
            }
            catch (InvalidOperationException error)
            {
                return SubmitResult.Rejected(SubmitStatus.Unavailable, error.Message);
            }
            account.Window = window;
            account.Pending++;
        }
        ulong sequence;
        try
        {
            sequence = await durable.ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogAppendFailed(error);
            return SubmitResult.Rejected(SubmitStatus.Unavailable, "the transaction log failed; nothing was acknowledged");
        }
        var hash = Keccak256.Compute(encoded);
        return new SubmitResult(SubmitStatus.Accepted, null, sequence, hash, AckSigning.Sign(sequence, hash, _engine.Domain, _options.Key));
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

    /// <summary>v as 0/1: one signed transaction has one encoding, so one hash.</summary>
    private static Transaction Canonical(in Transaction tx)
    {
        var bytes = tx.Signature.Bytes;
        if (bytes[64] < 27)
        {
            return tx;
        }
        Span<byte> normalized = stackalloc byte[Signature.Length];
        bytes.CopyTo(normalized);
        normalized[64] -= 27;
        return tx with { Signature = new Signature(normalized) };
    }

    private AccountAdmission Admission(in Address account)
    {
        if (_accounts.TryGetValue(account, out var admission))
        {
            return admission;
        }
        // Not seen since start: nothing of it is pending, so the engine's window is current.
        var address = account;
        var window = Read(engine => engine.TryGetNonceWindow(address, out var w) ? w : default);
        return _accounts.GetOrAdd(account, _ => new AccountAdmission(window));
    }

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
        _log.Dispose();
        _chain.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "the transaction log failed; the sequencer stops accepting transactions")]
    private partial void LogAppendFailed(Exception error);
}
