using Microsoft.Extensions.Logging;

namespace Rollup.Bridge.Deposits;

/// <summary>
/// Follows L1 block by block, checking that each block's parent is the block it saw before (anvil and some
/// nodes report no <c>removed</c> logs, so hashes are the only sure sign of a reorg), collects the deposit
/// events of each block by its hash, and hands a deposit to the L2 once its block is
/// <see cref="DepositWatcherOptions.Confirmations"/> deep, in queue order, each once. A deposit whose block
/// is reorganised away before that is forgotten; if it is included again, it is seen again.
/// </summary>
public sealed partial class DepositWatcher
{
    private readonly IDepositSource _source;
    private readonly IDepositSink _sink;
    private readonly DepositWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly List<L1BlockRef> _tracked = [];
    private readonly List<QueuedDeposit> _pending = [];
    private readonly List<QueuedDeposit> _credited = [];
    private ulong _nextBlock;
    private bool _started;

    public DepositWatcher(IDepositSource source, IDepositSink sink, DepositWatcherOptions options, ILogger logger)
    {
        _source = source;
        _sink = sink;
        _options = options;
        _logger = logger;
    }

    public long Reorgs { get; private set; }

    public long Credited { get; private set; }

    /// <summary>The next L1 block the watcher will read.</summary>
    public ulong NextBlock => _nextBlock;

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(_options.PollInterval);
        do
        {
            try
            {
                await PollAsync(cancellation).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not (OperationCanceledException or DeepReorgException))
            {
                LogPollFailed(error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
    }

    /// <summary>Reads every new L1 block up to the head and credits what is deep enough; returns how many it credited.</summary>
    public async Task<int> PollAsync(CancellationToken cancellation)
    {
        var head = await _source.GetHeadNumberAsync(cancellation).ConfigureAwait(false);
        if (!_started)
        {
            await StartAsync(head, cancellation).ConfigureAwait(false);
        }
        await CheckTipAsync(cancellation).ConfigureAwait(false);
        while (_nextBlock <= head)
        {
            var block = await _source.GetBlockAsync(_nextBlock, cancellation).ConfigureAwait(false);
            if (block is not { } current)
            {
                break;
            }
            if (_tracked.Count > 0 && current.ParentHash != _tracked[^1].Hash)
            {
                await RewindAsync(cancellation).ConfigureAwait(false);
                continue;
            }
            var deposits = await _source.GetDepositsAsync(current.Hash, cancellation).ConfigureAwait(false);
            foreach (var deposit in deposits)
            {
                if (deposit.Index >= _sink.NextDepositIndex)
                {
                    _pending.Add(deposit);
                    LogSeen(deposit.Index, deposit.L2Account.ToString(), deposit.Amount, current.Number);
                }
            }
            Track(current);
            _nextBlock = current.Number + 1;
        }
        return await CreditConfirmedAsync(head, cancellation).ConfigureAwait(false);
    }

    /// <summary>Starts at the block of the first deposit the L2 lacks, or at the head when the queue has nothing new.</summary>
    private async Task StartAsync(ulong head, CancellationToken cancellation)
    {
        var next = _sink.NextDepositIndex;
        await CheckCreditedAsync(next, head, cancellation).ConfigureAwait(false);
        var block = await _source.GetDepositBlockAsync(next, cancellation).ConfigureAwait(false);
        _nextBlock = Math.Min(block ?? head + 1, head + 1);
        if (_nextBlock > 0 && await _source.GetBlockAsync(_nextBlock - 1, cancellation).ConfigureAwait(false) is { } anchor)
        {
            Track(anchor);
        }
        _started = true;
        LogStarted(next, _nextBlock, _options.Confirmations);
    }

    /// <summary>
    /// Compares the newest credited deposits with L1's queue before going on, since a reorg deeper than the confirmations
    /// while the node was down can leave a different deposit at an index the L2 has used, and going on would credit it
    /// never. From <paramref name="next"/> - 1 down it compares at most <see cref="DepositWatcherOptions.StartCheckDeposits"/> (at least one),
    /// ends after the first queued more than <see cref="DepositWatcherOptions.MaxTrackedBlocks"/> below the head (older
    /// blocks are not reorganised in practice) and at the first the L2 can no longer tell. The same deposit included again
    /// in another block matches: only index, account and amount are compared.
    /// </summary>
    private async Task CheckCreditedAsync(ulong next, ulong head, CancellationToken cancellation)
    {
        var oldestReorganisable = head > (ulong)_options.MaxTrackedBlocks ? head - (ulong)_options.MaxTrackedBlocks : 0;
        var limit = Math.Max(1, _options.StartCheckDeposits);
        var index = next;
        for (var compared = 0; index > 0 && compared < limit; compared++)
        {
            index--;
            if (await _source.GetQueueEntryAsync(index, cancellation).ConfigureAwait(false) is not { } queued)
            {
                // Going on would skip the deposit L1 queues next at an index the L2 has already used.
                LogCreditedMissing(index);
                throw new DeepReorgException($"the L2 has credited deposit {index}, which L1's queue no longer holds: an L1 reorg removed a credited deposit; raise the confirmation depth and reconcile before restarting");
            }
            if (await _sink.GetCreditedAsync(index, cancellation).ConfigureAwait(false) is not { } credited)
            {
                return;
            }
            if (credited.L2Account != queued.L2Account || credited.Amount != queued.Amount)
            {
                LogCreditedReplaced(index, credited.L2Account.ToString(), credited.Amount, queued.L2Account.ToString(), queued.Amount, queued.L1Block);
                throw new DeepReorgException($"the L2 has credited deposit {index} as {credited.Amount} to {credited.L2Account}, but L1's queue now holds {queued.Amount} to {queued.L2Account} at that index (block {queued.L1Block}): an L1 reorg replaced a credited deposit; raise the confirmation depth and reconcile before restarting");
            }
            if (queued.L1Block < oldestReorganisable)
            {
                return;
            }
        }
    }

    /// <summary>A reorg at the tip replaces blocks without making the chain longer: the last block seen must still be there.</summary>
    private async Task CheckTipAsync(CancellationToken cancellation)
    {
        if (_tracked.Count == 0)
        {
            return;
        }
        var tip = _tracked[^1];
        var now = await _source.GetBlockAsync(tip.Number, cancellation).ConfigureAwait(false);
        if (now is not { } current || current.Hash != tip.Hash)
        {
            await RewindAsync(cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Walks back to the newest block still on the chain and forgets everything after it.</summary>
    private async Task RewindAsync(CancellationToken cancellation)
    {
        var dropped = 0;
        var lowest = _nextBlock;
        while (_tracked.Count > 0)
        {
            var last = _tracked[^1];
            var now = await _source.GetBlockAsync(last.Number, cancellation).ConfigureAwait(false);
            if (now is { } current && current.Hash == last.Hash)
            {
                break;
            }
            _tracked.RemoveAt(_tracked.Count - 1);
            lowest = last.Number;
            dropped++;
        }
        if (_tracked.Count == 0)
        {
            await RestartBelowHistoryAsync(lowest, dropped, cancellation).ConfigureAwait(false);
            return;
        }
        var fork = _tracked[^1].Number;
        foreach (var credited in _credited)
        {
            if (credited.L1Block > fork)
            {
                LogDeepReorg(credited.Index, credited.L1Block, fork);
                throw new DeepReorgException($"L1 reorganised away block {credited.L1Block} holding deposit {credited.Index}, already credited on L2; raise the confirmation depth");
            }
        }
        var forgotten = _pending.RemoveAll(d => d.L1Block > fork);
        _nextBlock = fork + 1;
        Reorgs++;
        LogReorg(fork, dropped, forgotten);
    }

    /// <summary>
    /// Every remembered block was replaced. With a deposit credited since the watcher started, that deposit's block is gone
    /// (it is newer than the oldest remembered block); with none, the watcher simply starts again from what L1 now says.
    /// </summary>
    private async Task RestartBelowHistoryAsync(ulong lowest, int dropped, CancellationToken cancellation)
    {
        if (_credited.Count > 0)
        {
            var credited = _credited[0];
            LogDeepReorg(credited.Index, credited.L1Block, lowest - 1);
            throw new DeepReorgException($"L1 reorganised away block {credited.L1Block} holding deposit {credited.Index}, already credited on L2; raise the confirmation depth");
        }
        if (dropped >= _options.MaxTrackedBlocks)
        {
            throw new DeepReorgException($"L1 reorganised deeper than the {_options.MaxTrackedBlocks} blocks the deposit watcher remembers");
        }
        var forgotten = _pending.Count;
        _pending.Clear();
        _tracked.Clear();
        Reorgs++;
        LogReorg(lowest - 1, dropped, forgotten);
        await StartAsync(await _source.GetHeadNumberAsync(cancellation).ConfigureAwait(false), cancellation).ConfigureAwait(false);
    }

    private async Task<int> CreditConfirmedAsync(ulong head, CancellationToken cancellation)
    {
        if (head < (ulong)_options.Confirmations)
        {
            return 0;
        }
        var confirmed = head - (ulong)_options.Confirmations;
        _pending.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        var credited = 0;
        while (_pending.Count > 0 && _pending[0].L1Block <= confirmed && _pending[0].L1Block < _nextBlock)
        {
            var deposit = _pending[0];
            var expected = _sink.NextDepositIndex;
            if (deposit.Index < expected)
            {
                _pending.RemoveAt(0); // credited before a restart
                continue;
            }
            if (deposit.Index > expected)
            {
                LogGap(expected, deposit.Index);
                break;
            }
            await _sink.CreditAsync(deposit, cancellation).ConfigureAwait(false);
            _pending.RemoveAt(0);
            _credited.Add(deposit);
            Credited++;
            credited++;
            LogCredited(deposit.Index, deposit.L2Account.ToString(), deposit.Amount, deposit.L1Block);
        }
        return credited;
    }

    private void Track(L1BlockRef block)
    {
        _tracked.Add(block);
        if (_tracked.Count > _options.MaxTrackedBlocks)
        {
            var oldest = _tracked[0].Number;
            _tracked.RemoveAt(0);
            _credited.RemoveAll(d => d.L1Block <= oldest);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "deposit watcher: next deposit {Index}, reading L1 from block {Block}, crediting at {Confirmations} confirmations")]
    private partial void LogStarted(ulong index, ulong block, int confirmations);

    [LoggerMessage(Level = LogLevel.Debug, Message = "deposit {Index} seen: {Account} {Amount} in L1 block {Block}")]
    private partial void LogSeen(ulong index, string account, ulong amount, ulong block);

    [LoggerMessage(Level = LogLevel.Information, Message = "deposit {Index} credited: {Account} {Amount} from L1 block {Block}")]
    private partial void LogCredited(ulong index, string account, ulong amount, ulong block);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 reorg: back to block {Fork} ({Dropped} blocks replaced), {Forgotten} unconfirmed deposits forgotten")]
    private partial void LogReorg(ulong fork, int dropped, int forgotten);

    [LoggerMessage(Level = LogLevel.Critical, Message = "L1 reorg removed credited deposit {Index} (block {Block}, fork at {Fork}): the watcher stops")]
    private partial void LogDeepReorg(ulong index, ulong block, ulong fork);

    [LoggerMessage(Level = LogLevel.Critical, Message = "deposit {Index} is credited on L2 but no longer in L1's queue (an L1 reorg removed it): the watcher does not start")]
    private partial void LogCreditedMissing(ulong index);

    [LoggerMessage(Level = LogLevel.Critical, Message = "deposit {Index} is credited on L2 as {CreditedAmount} to {CreditedAccount} but L1's queue now holds {QueuedAmount} to {QueuedAccount} (block {Block}): an L1 reorg replaced it, the watcher does not start")]
    private partial void LogCreditedReplaced(ulong index, string creditedAccount, ulong creditedAmount, string queuedAccount, ulong queuedAmount, ulong block);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deposit {Expected} not seen yet but {Index} is: waiting")]
    private partial void LogGap(ulong expected, ulong index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deposit watcher: L1 read failed, will retry: {Reason}")]
    private partial void LogPollFailed(string reason);
}
