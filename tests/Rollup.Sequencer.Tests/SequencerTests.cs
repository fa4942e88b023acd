using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

public sealed class SequencerTests : IDisposable
{
    private static readonly PrivateKey SequencerKey = ChainFlowGenerator.KeyOf(0xFFF9);
    private static readonly PrivateKey Alice = ChainFlowGenerator.KeyOf(1);
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };
    private static readonly Eip712Domain Domain = RollupDomain.Create(Engine.ChainId, Engine.SettlementContract);

    private readonly TempDirectory _directory = new("rollup-sequencer");

    private SequencerOptions Options(int maxPending = 1024) => new()
    {
        DataDir = _directory.Path,
        Engine = Engine,
        Key = SequencerKey,
        BlockInterval = TimeSpan.FromMilliseconds(10),
        MaxPendingPerAccount = maxPending,
    };

    [Fact]
    public async Task Submit_SignedTransactions_AckedInOrderWithVerifiableReceiptsAndExecuted()
    {
        await using var sequencer = Sequencer.Start(Options(), NullLogger.Instance);
        var blocks = sequencer.Subscribe();
        await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 1_000 });

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => sequencer.SubmitAsync(Withdraw(Alice, (ulong)i, 1))));
        Assert.All(results, r => Assert.Equal(SubmitStatus.Accepted, r.Status));
        Assert.Equal(50, results.Select(r => r.Sequence).Distinct().Count());
        foreach (var result in results)
        {
            Assert.Equal(SequencerKey.Address, AckReceipts.Signer(result.Sequence, result.TxHash, result.AckTree!.Root, result.AckTree.Proof(result.AckLeaf), result.AckTree.Signature, Domain));
        }

        // Every acknowledged withdrawal is executed: wait for the blocks, not for time.
        var executed = 0;
        await foreach (var block in blocks.ReadAllAsync())
        {
            executed += block.Receipts.Count(r => r.IsAccepted);
            if (executed == 51)
            {
                break;
            }
        }
        Assert.Equal(950, sequencer.Read(e => e.TryGetFreeBalance(Alice.Address, out var free) ? free : -1));
    }

    [Fact]
    public async Task Submit_BadInputs_RefusedWithReasonAndNothingLogged()
    {
        await using var sequencer = Sequencer.Start(Options(), NullLogger.Instance);
        var good = Withdraw(Alice, 7, 1);
        Assert.Equal(SubmitStatus.Accepted, (await sequencer.SubmitAsync(good)).Status);

        Assert.Equal(SubmitStatus.Replayed, (await sequencer.SubmitAsync(good)).Status);
        Assert.Equal(SubmitStatus.BadSignature, (await sequencer.SubmitAsync(good with { Amount = 2, Nonce = 8 })).Status);
        var otherChain = TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 1, Nonce = 9 }, Alice, RollupDomain.Create(1, default));
        Assert.Equal(SubmitStatus.BadSignature, (await sequencer.SubmitAsync(otherChain)).Status);
        Assert.Equal(SubmitStatus.Invalid, (await sequencer.SubmitAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 5 })).Status);
        Assert.Equal(SubmitStatus.NonceTooFar, (await sequencer.SubmitAsync(Withdraw(Alice, 1UL << 40, 1))).Status);
        var result = await sequencer.SubmitAsync(Withdraw(Alice, 8, 1));
        Assert.Equal(SubmitStatus.Accepted, result.Status);
        Assert.Equal(1UL, result.Sequence); // the refusals took no sequence numbers
    }

    [Fact]
    public async Task Submit_FloodFromOneAccount_LimitedWithResourceReason()
    {
        await using var sequencer = Sequencer.Start(Options(maxPending: 5) with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) }, NullLogger.Instance);
        var results = new List<SubmitResult>();
        for (var i = 0; i < 8; i++)
        {
            results.Add(await sequencer.SubmitAsync(Withdraw(Alice, (ulong)i, 1)));
        }
        Assert.Equal(5, results.Count(r => r.IsAccepted));
        Assert.All(results.Skip(5), r => Assert.Equal(SubmitStatus.TooManyPending, r.Status));
    }

    [Fact]
    public async Task Deposits_EnterInQueueOrderOnce_AndTheCursorSurvivesARestartBeforeTheirBlock()
    {
        var stopped = Options() with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) };
        await using (var sequencer = Sequencer.Start(stopped, NullLogger.Instance))
        {
            Assert.Equal(0UL, sequencer.NextDepositIndex);
            await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100, DepositIndex = 0 });
            Assert.Throws<InvalidOperationException>(() => { _ = sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100, DepositIndex = 0 }); });
            Assert.Throws<InvalidOperationException>(() => { _ = sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100, DepositIndex = 2 }); });
            await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100, DepositIndex = 1 });
            Assert.Equal(2UL, sequencer.NextDepositIndex);
        }
        await using var restarted = Sequencer.Start(stopped, NullLogger.Instance);
        Assert.Equal(2UL, restarted.NextDepositIndex);
        Assert.Equal(0UL, restarted.Read(engine => engine.Head.NextDepositIndex));
    }

    [Fact]
    public async Task Restart_WithTransactionsLoggedButNotInABlock_AllExecutedSameRootAsCleanReplay()
    {
        var stopped = Options() with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) };
        var acked = new List<SubmitResult>();
        await using (var sequencer = Sequencer.Start(stopped, NullLogger.Instance))
        {
            await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 100 });
            for (var i = 0; i < 20; i++)
            {
                acked.Add(await sequencer.SubmitAsync(Withdraw(Alice, (ulong)i, 1)));
            }
        }
        Assert.All(acked, r => Assert.True(r.IsAccepted));

        await using (var restarted = Sequencer.Start(Options(), NullLogger.Instance))
        {
            var blocks = restarted.Subscribe();
            // The 21 logged transactions are the next block; a replayed nonce is still refused.
            Assert.Equal(SubmitStatus.Replayed, (await restarted.SubmitAsync(Withdraw(Alice, 3, 1))).Status);
            var executed = 0;
            await foreach (var block in blocks.ReadAllAsync())
            {
                executed += block.Receipts.Length;
                if (executed >= 21)
                {
                    break;
                }
            }
            Assert.Equal(80, restarted.Read(e => e.TryGetFreeBalance(Alice.Address, out var free) ? free : -1));
        }
    }

    private static Transaction Withdraw(PrivateKey key, ulong nonce, long amount) =>
        TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = key.Address, Amount = (ulong)amount, Nonce = nonce }, key, Domain);

    [Fact]
    public async Task A_credited_deposit_is_found_by_its_index_pending_in_the_log_or_in_any_executed_block()
    {
        var stopped = Options() with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) };
        await using (var sequencer = Sequencer.Start(stopped, NullLogger.Instance))
        {
            for (ulong i = 0; i < 3; i++)
            {
                await sequencer.AppendSystemAsync(Deposit(i));
            }
            Assert.Equal(0UL, sequencer.Read(engine => engine.Head.NextDepositIndex));
            AssertCreditedThrough(sequencer, 3);
        }

        await using var running = Sequencer.Start(Options(), NullLogger.Instance);
        var blocks = running.Subscribe();
        for (ulong i = 3; i < 10; i++)
        {
            // One deposit a block, so the search has blocks with and without deposits to pass over.
            await running.AppendSystemAsync(Deposit(i));
            while (running.Read(engine => engine.Head.NextDepositIndex) <= i)
            {
                await blocks.ReadAsync();
            }
        }
        AssertCreditedThrough(running, 10);
    }

    private static Transaction Deposit(ulong index) =>
        new() { Kind = TxKind.Deposit, Account = ChainFlowGenerator.KeyOf(100 + (int)index).Address, Amount = 1_000 + index, DepositIndex = index };

    private static void AssertCreditedThrough(Sequencer sequencer, ulong count)
    {
        for (ulong i = 0; i < count; i++)
        {
            var found = sequencer.FindCreditedDeposit(i);
            Assert.True(found.HasValue, $"deposit {i} not found");
            Assert.Equal((Deposit(i).Account, Deposit(i).Amount, i), (found.Value.Account, found.Value.Amount, found.Value.DepositIndex));
        }
        Assert.Null(sequencer.FindCreditedDeposit(count));
    }

    public void Dispose() => _directory.Dispose();
}
