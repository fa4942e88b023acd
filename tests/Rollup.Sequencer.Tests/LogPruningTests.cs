using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Sequencer.Log;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// The transaction log's retention rule (docs/sequencer.md, "Retention"): blocks the state holds for good are dropped
/// from the log, and what is left is all recovery needs: a restart after pruning recovers the same state, goes on
/// numbering where it left off, and replays the blocks and the transactions logged after the pruned ones.
/// </summary>
public sealed class LogPruningTests : IDisposable
{
    private static readonly PrivateKey Trader = ChainFlowGenerator.KeyOf(7);

    private readonly TempDirectory _directory = new("rollup-log-pruning");
    private ulong _nonce;
    private ulong _nextDeposit;
    private ulong _sent;

    [Fact]
    public async Task Pruned_log_restart_recovers_the_same_state_and_numbers_on()
    {
        Hash256 root;
        ulong head;
        ulong firstKept;
        await using (var sequencer = Sequencer.Start(TestChain.Options(_directory.Path), NullLogger.Instance))
        {
            await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Trader.Address, Amount = 1_000, DepositIndex = _nextDeposit++ });
            _sent++;
            for (var round = 0; round < 5; round++)
            {
                await SubmitAsync(sequencer, count: 6);
                await ExecutedAsync(sequencer, _sent);
            }
            head = sequencer.Read(engine => engine.Head.BlockNumber);
            var (through, dropped) = sequencer.PruneLog(ulong.MaxValue);
            // Never past what the state holds.
            Assert.Equal(head, through);
            Assert.Equal(_sent, dropped);
            root = sequencer.Read(engine => engine.Head.StateRoot);
            firstKept = _sent;
        }

        // Logged, not cut into a block, then a restart: recovery takes them after the pruned blocks.
        var stopped = TestChain.Options(_directory.Path) with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) };
        await using (var sequencer = Sequencer.Start(stopped, NullLogger.Instance))
        {
            Assert.Equal(root, sequencer.Read(engine => engine.Head.StateRoot));
            var results = await SubmitAsync(sequencer, count: 3);
            Assert.Equal(firstKept, results[0].Sequence); // numbering goes on from the pruned log's anchor
        }
        using (var log = TxLog.Open(Path.Combine(_directory.Path, "txlog")))
        {
            Assert.Equal(firstKept, log.FirstSequence());
            Assert.Equal(_sent, log.NextSequence);
            Assert.Null(log.GetBlock(head - 1));
            Assert.NotNull(log.GetBlock(head));
        }
        await using (var sequencer = Sequencer.Start(TestChain.Options(_directory.Path), NullLogger.Instance))
        {
            await SubmitAsync(sequencer, count: 2);
            await ExecutedAsync(sequencer, _sent);
            Assert.Equal(SubmitStatus.Replayed, (await sequencer.SubmitAsync(Withdraw(0))).Status);
        }
    }

    [Fact]
    public void PruneThrough_TheLastBlock_KeepsItsEntryAsTheAnchor()
    {
        var path = Path.Combine(_directory.Path, "log");
        using (var log = TxLog.Open(path))
        {
            using var batch = log.CreateBatch();
            var encoded = new byte[TransactionCodec.GetEncodedLength(Withdraw(0))];
            TransactionCodec.Encode(Withdraw(0), encoded);
            for (var sequence = 0UL; sequence < 10; sequence++)
            {
                TxLog.PutTransaction(batch, sequence, encoded);
            }
            TxLog.PutBlock(batch, new LoggedBlock(1, 1_000, 0, 4));
            TxLog.PutBlock(batch, new LoggedBlock(2, 1_100, 4, 10));
            batch.Commit();
        }
        using (var log = TxLog.Open(path))
        {
            Assert.Equal(10UL, log.PruneThrough(2));
            Assert.Equal(0UL, log.PruneThrough(2));
        }
        using var reopened = TxLog.Open(path);
        Assert.Equal(10UL, reopened.NextSequence);
        Assert.Equal(2UL, reopened.LastBlock!.Value.Number);
        Assert.Null(reopened.GetBlock(1));
        Assert.Empty(reopened.ReadRange(10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => reopened.PruneThrough(3));
    }

    private async Task<IReadOnlyList<SubmitResult>> SubmitAsync(Sequencer sequencer, int count)
    {
        var transactions = new List<Transaction>();
        for (var i = 0; i < count; i++)
        {
            transactions.Add(Withdraw(_nonce++));
        }
        var results = await sequencer.SubmitManyAsync(transactions);
        Assert.All(results, r => Assert.Equal(SubmitStatus.Accepted, r.Status));
        _sent += (ulong)count;
        return results;
    }

    private static Transaction Withdraw(ulong nonce) =>
        TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = Trader.Address, Nonce = nonce, Amount = 1 }, Trader, TestChain.Domain);

    /// <summary>Waits until the blocks hold <paramref name="transactions"/> transactions.</summary>
    private static async Task ExecutedAsync(Sequencer sequencer, ulong transactions)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (sequencer.Read(engine => engine.NextSequence) < transactions)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the blocks hold {sequencer.Read(engine => engine.NextSequence)} of {transactions} transactions after 30 s");
            await Task.Delay(10);
        }
    }

    public void Dispose() => _directory.Dispose();
}
