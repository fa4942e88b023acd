using Rollup.Execution.Transactions;
using Rollup.Storage;

namespace Rollup.Sequencer.Log;

/// <summary>
/// The only writer of the <see cref="TxLog"/>. Appends queue up while the previous group is being synced;
/// the writer then gives the whole group consecutive sequence numbers, writes it as one batch with one
/// fsync, and only then completes the appends: many transactions share one durable write, and none is
/// acknowledged before it is durable. Sequence numbers follow queue order; the transactions of one
/// <see cref="AppendMany"/> get consecutive numbers.
/// </summary>
public sealed class GroupCommitLog : IAsyncDisposable
{
    private readonly TxLog _log;
    private readonly ThreadQueue<Request> _queue = new();
    private readonly Task _writer;
    private readonly int _maxGroup;
    private readonly List<(ulong Sequence, Transaction Transaction)> _unblocked = [];
    private readonly Lock _unblockedLock = new();
    private readonly LatencyHistogram? _syncTimes;
    private Exception? _failure;
    private readonly TaskCompletionSource<Exception> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the error that stopped the writer, if one does (a stop on dispose is not a failure).</summary>
    public Task<Exception> Failed => _failed.Task;

    public GroupCommitLog(TxLog log, int maxGroup = 8192, LatencyHistogram? syncTimes = null)
    {
        _syncTimes = syncTimes;
        _log = log;
        _maxGroup = maxGroup;
        // A thread of its own: the loop blocks in fsync, and a thread-pool thread blocked there would leave the
        // pool short of threads for the admission and response work that must go on meanwhile.
        _writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public TxLog Log => _log;

    /// <summary>Transactions appended so far that no block cut covers yet.</summary>
    public int PendingCount
    {
        get
        {
            lock (_unblockedLock)
            {
                return _unblocked.Count;
            }
        }
    }

    /// <summary>Appends an encoded transaction (a run of one); completes with its sequence number once it is durable.</summary>
    public Task<ulong> AppendAsync(byte[] encoded, in Transaction transaction) => AppendMany([encoded], [transaction], 1).Durable;

    /// <summary>
    /// Appends encoded transactions as one run of consecutive sequence numbers, with one completion for all of them
    /// instead of one per transaction. <see cref="AppendedRun.Numbered"/> gives the first number as soon as it is
    /// assigned, before the group is synced, so work that needs the numbers (signing acknowledgements) can overlap
    /// the sync; its continuations run on the writer thread and must only queue work. <see cref="AppendedRun.Durable"/>
    /// completes once the run is durable. Nothing may be released to a client before <see cref="AppendedRun.Durable"/>.
    /// </summary>
    public AppendedRun AppendMany(byte[][] encoded, Transaction[] transactions, int count)
    {
        if (count <= 0 || count > encoded.Length || count > transactions.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "a run holds at least one transaction, and no more than it is given");
        }
        var request = new Request(encoded, transactions, count);
        Enqueue(request);
        return new AppendedRun(request.Numbered!.Task, request.Sequence.Task);
    }

    /// <summary>
    /// Cuts a block of the oldest transactions appended before this call (at most <paramref name="maxTransactions"/>),
    /// at <paramref name="timestamp"/> (never before the previous block's); null when there is nothing to cut.
    /// </summary>
    /// <param name="maxOrderSlots">
    /// The most order slots the block's transactions may take (one each, a bulk one per item: <see cref="Execution.Blocks.OrderSlots"/>);
    /// a block always takes at least its first transaction.
    /// </param>
    public Task<(LoggedBlock Block, Transaction[] Transactions)?> CutBlockAsync(ulong timestamp, bool allowEmpty, int maxTransactions, int maxOrderSlots = int.MaxValue)
    {
        var request = new Request(timestamp) { AllowEmpty = allowEmpty, MaxTransactions = maxTransactions, MaxOrderSlots = maxOrderSlots };
        Enqueue(request);
        return request.Cut!.Task;
    }

    private void Enqueue(Request request)
    {
        if (_failure is not null || !_queue.TryWrite(request))
        {
            throw new InvalidOperationException("the transaction log is not accepting writes", _failure);
        }
    }

    private void WriteLoop()
    {
        var group = new List<Request>(_maxGroup);
        while (_queue.WaitToRead())
        {
            group.Clear();
            var transactions = 0;
            while (transactions < _maxGroup && _queue.TryRead(out var request))
            {
                group.Add(request);
                transactions += request.Count;
            }
            try
            {
                WriteGroup(group);
            }
#pragma warning disable CA1031 // A failed write fails every waiter and stops the log; it is rethrown to each of them.
            catch (Exception error)
#pragma warning restore CA1031
            {
                _failure = error;
                _failed.TrySetResult(error);
                _queue.Complete(error);
                foreach (var request in group)
                {
                    request.Fail(error);
                }
                while (_queue.TryRead(out var late))
                {
                    late.Fail(error);
                }
                return;
            }
        }
    }

    private void WriteGroup(List<Request> group)
    {
        using var batch = _log.CreateBatch();
        var next = _log.NextSequence;
        var lastBlock = _log.LastBlock;
        var cuts = new List<(Request Request, LoggedBlock Block, Transaction[] Transactions)?>();
        lock (_unblockedLock)
        {
            foreach (var request in group)
            {
                if (request.Run is { } run)
                {
                    request.Assigned = next;
                    for (var i = 0; i < request.Count; i++)
                    {
                        TxLog.PutTransaction(batch, next, run[i]);
                        _unblocked.Add((next, request.RunTransactions![i]));
                        next++;
                    }
                    continue;
                }
                if (_unblocked.Count == 0 && !request.AllowEmpty)
                {
                    cuts.Add((request, default, []));
                    continue;
                }
                var first = lastBlock?.EndSequence ?? 0;
                var count = CountWithin(request.MaxTransactions, request.MaxOrderSlots);
                var block = new LoggedBlock((lastBlock?.Number ?? 0) + 1, Math.Max(request.Timestamp, lastBlock?.Timestamp ?? 0), first, first + (ulong)count);
                TxLog.PutBlock(batch, block);
                var transactions = new Transaction[count];
                for (var i = 0; i < transactions.Length; i++)
                {
                    transactions[i] = _unblocked[i].Transaction;
                }
                _unblocked.RemoveRange(0, count);
                cuts.Add((request, block, transactions));
                lastBlock = block;
            }
        }
        // The numbers are fixed now: let runs start on their acknowledgements while the group syncs.
        foreach (var request in group)
        {
            request.Numbered?.TrySetResult(request.Assigned);
        }
        var syncing = System.Diagnostics.Stopwatch.GetTimestamp();
        batch.Commit(WriteMode.Sync);
        _syncTimes?.Record(System.Diagnostics.Stopwatch.GetElapsedTime(syncing));
        _log.NextSequence = next;
        _log.LastBlock = lastBlock;
        var cut = 0;
        foreach (var request in group)
        {
            if (request.Run is not null)
            {
                request.Sequence.TrySetResult(request.Assigned);
            }
            else
            {
                var (_, block, transactions) = cuts[cut++]!.Value;
                request.Cut!.TrySetResult(transactions.Length == 0 && !request.AllowEmpty ? null : (block, transactions));
            }
        }
    }

    /// <summary>How many of the waiting transactions, from the first, fit a block of at most this many transactions and order slots (at least one).</summary>
    private int CountWithin(int maxTransactions, int maxOrderSlots)
    {
        var limit = Math.Min(_unblocked.Count, maxTransactions);
        var slots = 0L;
        for (var i = 0; i < limit; i++)
        {
            slots += Execution.Blocks.OrderSlots.Of(_unblocked[i].Transaction);
            if (slots > maxOrderSlots && i > 0)
            {
                return i;
            }
        }
        return limit;
    }

    /// <summary>Restores transactions that are durable but in no block yet (after a restart).</summary>
    internal void RestoreUnblocked(IEnumerable<(ulong Sequence, Transaction Transaction)> transactions)
    {
        lock (_unblockedLock)
        {
            _unblocked.AddRange(transactions);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Complete();
        await _writer.ConfigureAwait(false);
        _queue.Dispose();
    }

    private sealed class Request
    {
        /// <summary>A block cut.</summary>
        public Request(ulong timestamp)
        {
            Timestamp = timestamp;
            Cut = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public Request(byte[][] run, Transaction[] transactions, int count)
        {
            Run = run;
            RunTransactions = transactions;
            Count = count;
            // Continuations run on the writer thread as it numbers the group: they must only queue work
            // (admission queues the ack signing), never block or compute.
            Numbered = new();
        }

        /// <summary>How many transactions this request appends (0 for a block cut).</summary>
        public int Count { get; }

        public byte[][]? Run { get; }

        public Transaction[]? RunTransactions { get; }

        public TaskCompletionSource<ulong>? Numbered { get; }

        public ulong Timestamp { get; }

        public bool AllowEmpty { get; init; }

        public int MaxTransactions { get; init; } = int.MaxValue;

        public int MaxOrderSlots { get; init; } = int.MaxValue;

        public ulong Assigned { get; set; }

        public TaskCompletionSource<ulong> Sequence { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<(LoggedBlock, Transaction[])?>? Cut { get; }

        public void Fail(Exception error)
        {
            Numbered?.TrySetException(error);
            Sequence.TrySetException(error);
            Cut?.TrySetException(error);
        }
    }
}

/// <summary>A run of transactions appended together: its first sequence number once assigned, and when it is durable.</summary>
public readonly record struct AppendedRun(Task<ulong> Numbered, Task<ulong> Durable);
