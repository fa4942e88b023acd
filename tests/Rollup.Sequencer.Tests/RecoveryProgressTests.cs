using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Sequencer.Log;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>Long work at start says what it does: opening the state, and replaying the log's blocks the state has not seen.</summary>
public sealed class RecoveryProgressTests
{
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };

    [Fact]
    public async Task Start_StateBehindTheLog_SaysHowManyBlocksItReplays()
    {
        using var directory = new TempDirectory("rollup-replay-progress");
        var options = new SequencerOptions { DataDir = directory.Path, Engine = Engine, Key = ChainFlowGenerator.KeyOf(0xFFF9), BlockInterval = TimeSpan.FromMilliseconds(10) };
        await using (var first = Sequencer.Start(options, NullLogger.Instance))
        {
            var subscription = first.Subscribe();
            for (var i = 0UL; i < 3; i++)
            {
                await first.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = ChainFlowGenerator.AddressOf(1), Amount = 5, DepositIndex = i });
            }
            while (first.Read(e => e.Head.NextDepositIndex) < 3 && await subscription.WaitToReadAsync())
            {
                while (subscription.TryRead(out _))
                {
                }
            }
            first.Unsubscribe(subscription);
        }
        ulong logged;
        using (var log = TxLog.Open(Path.Combine(directory.Path, "txlog")))
        {
            logged = log.LastBlock?.Number ?? 0;
        }
        // As after a crash that lost the state's last blocks, but here all of them: the log must bring it back.
        Directory.Delete(Path.Combine(directory.Path, "state"), recursive: true);

        using var logs = new CapturedLogs(LogLevel.Information);
        await using var second = Sequencer.Start(options, logs.CreateLogger("sequencer"));
        var messages = logs.Entries.Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("state opened at block 0 in ", StringComparison.Ordinal));
        Assert.Contains($"replaying {logged} logged blocks the state has not seen (1 to {logged})", messages);
        Assert.Equal(logged, second.Read(e => e.Head.BlockNumber));
        Assert.Equal(3UL, second.Read(e => e.Head.NextDepositIndex));
    }
}
