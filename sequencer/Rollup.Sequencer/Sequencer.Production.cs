using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rollup.Execution.Blocks;
using Rollup.Execution.Parallel;
using Rollup.Execution.Transactions;
using Rollup.Sequencer.Admission;
using Rollup.Sequencer.Log;

namespace Rollup.Sequencer;

public sealed partial class Sequencer
{
    /// <summary>
    /// Brings the state up to the log: executes every logged block the state has not, then takes the
    /// transactions logged after the last block as the next block's, with their nonces already used.
    /// </summary>
    private void Recover()
    {
        var head = _engine.Head.BlockNumber;
        var last = _log.LastBlock?.Number ?? 0;
        if (head > last)
        {
            throw new InvalidDataException($"the state is at block {head} but the transaction log ends at block {last}: they do not belong together");
        }
        if (last > head)
        {
            LogReplaying(last - head, head + 1, last);
        }
        var replay = System.Diagnostics.Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        for (var number = head + 1; number <= last; number++)
        {
            var logged = _log.GetBlock(number) ?? throw new InvalidDataException($"transaction log: block {number} is missing");
            _engine.Execute(new Block(number, logged.Timestamp, _log.ReadRange(logged.FirstSequence, logged.EndSequence)));
            if (replay.Elapsed - reported >= ReplayProgressInterval)
            {
                reported = replay.Elapsed;
                LogReplayProgress(number - head, last - head, (number - head) / replay.Elapsed.TotalSeconds);
            }
        }
        var first = _log.LastBlock?.EndSequence ?? 0;
        var pending = _log.ReadRange(first, _log.NextSequence);
        var restored = new List<(ulong, Transaction)>(pending.Length);
        _nextDepositIndex = _engine.Head.NextDepositIndex;
        for (var i = 0; i < pending.Length; i++)
        {
            restored.Add((first + (ulong)i, pending[i]));
            if (pending[i].Kind == TxKind.Deposit)
            {
                _nextDepositIndex = pending[i].DepositIndex + 1;
            }
            if (!pending[i].Kind.IsSigned())
            {
                continue;
            }
            var account = Admission(pending[i].Account);
            account.Window.TryConsume(pending[i].Nonce, out _);
            account.Pending++;
        }
        _writer.RestoreUnblocked(restored);
        LogRecovered(head, last, pending.Length, _engine.Head.StateRoot.ToString());
    }

    /// <summary>
    /// Cuts and executes blocks on a thread of its own (execution runs for milliseconds at a time; on a thread-pool
    /// thread it would hold up admission's work items), every <see cref="SequencerOptions.BlockInterval"/> while
    /// transactions wait, at once again while a full block waits, and every idle interval even with none.
    /// </summary>
    private void ProduceBlocks()
    {
        try
        {
            ProduceBlocksUntilStopped();
        }
#pragma warning disable CA1031 // Whatever stopped the producer stops admission and is reported; the thread ends.
        catch (Exception error) when (!_stopping.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Fail("block producer", error);
        }
    }

    private void ProduceBlocksUntilStopped()
    {
        ThreadNice.TrySetCurrent(ThreadNice.Background);
        var token = _stopping.Token;
        var period = (long)(_options.BlockInterval.TotalSeconds * Stopwatch.Frequency);
        var lastCut = Stopwatch.GetTimestamp();
        var nextTick = lastCut + period;
        while (true)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextTick);
            if (wait > TimeSpan.Zero ? token.WaitHandle.WaitOne(wait) : token.IsCancellationRequested)
            {
                return;
            }
            // Like a periodic timer: a tick missed while a block was executing fires once, right away.
            var now = Stopwatch.GetTimestamp();
            nextTick = Math.Max(nextTick + period, now);
            var idle = Stopwatch.GetElapsedTime(lastCut) >= _options.IdleBlockInterval;
            while (!token.IsCancellationRequested && (_writer.PendingCount > 0 || idle))
            {
                var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var cut = _writer.CutBlockAsync(timestamp, allowEmpty: idle, _options.MaxBlockTransactions, _options.MaxBlockOrderSlots).GetAwaiter().GetResult();
                idle = false;
                if (cut is not { } block)
                {
                    break;
                }
                lastCut = Stopwatch.GetTimestamp();
                Execute(block.Block, block.Transactions);
                if (_writer.PendingCount < _options.MaxBlockTransactions)
                {
                    break;
                }
            }
        }
    }

    /// <summary>For fault-injection tests: runs before each block executes; what it throws stops the producer.</summary>
    internal Action<LoggedBlock>? BeforeExecute { get; set; }

    private void Execute(in LoggedBlock logged, Transaction[] transactions)
    {
        BlockResult result;
        BeforeExecute?.Invoke(logged);
        var started = Stopwatch.GetTimestamp();
        result = _chain.Execute(new Block(logged.Number, logged.Timestamp, transactions));
        foreach (var tx in transactions)
        {
            if (tx.Kind.IsSigned() && _accounts.TryGetValue(tx.Account, out var account))
            {
                lock (account.Gate)
                {
                    account.Pending--;
                }
            }
        }
        Metrics.BlockExecuted(result, Stopwatch.GetElapsedTime(started));
        _chain.Publish(result);
        LogBlock(result.Number, transactions.Length, result.StateRoot.ToString());
    }

    private static readonly TimeSpan ReplayProgressInterval = TimeSpan.FromSeconds(2);

    [LoggerMessage(Level = LogLevel.Information, Message = "replaying {Count} logged blocks the state has not seen ({First} to {Last})")]
    private partial void LogReplaying(ulong count, ulong first, ulong last);

    [LoggerMessage(Level = LogLevel.Information, Message = "replayed {Done} of {Total} blocks ({Rate:F0} blocks/s)")]
    private partial void LogReplayProgress(ulong done, ulong total, double rate);

    [LoggerMessage(Level = LogLevel.Information, Message = "recovered: state was at block {StateBlock}, log at block {LogBlock}; {Pending} logged transactions wait for the next block; state root {Root}")]
    private partial void LogRecovered(ulong stateBlock, ulong logBlock, int pending, string root);

    [LoggerMessage(Level = LogLevel.Debug, Message = "block {Number}: {Count} transactions, state root {Root}")]
    private partial void LogBlock(ulong number, int count, string root);
}
