using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Sequencer.Log;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>SubmitManyAsync and the group-commit log's runs: order, numbering, acks, and agreement with execution under concurrency.</summary>
public sealed class BatchAdmissionTests : IDisposable
{
    private static readonly PrivateKey SequencerKey = ChainFlowGenerator.KeyOf(0xFFF9);
    private static readonly PrivateKey Alice = ChainFlowGenerator.KeyOf(1);
    private static readonly PrivateKey Bob = ChainFlowGenerator.KeyOf(2);
    private static readonly EngineOptions Engine = new() { ChainId = 31337, Operators = ChainFlowGenerator.Operators, Workers = 2 };
    private static readonly Eip712Domain Domain = RollupDomain.Create(Engine.ChainId, Engine.SettlementContract);

    private readonly TempDirectory _directory = new("rollup-batch");

    private SequencerOptions Options() => new()
    {
        DataDir = _directory.Path,
        Engine = Engine,
        Key = SequencerKey,
        BlockInterval = TimeSpan.FromMilliseconds(10),
    };

    [Fact]
    public async Task SubmitMany_MixedBatch_ResultsInGivenOrder_AcceptedGetConsecutiveSequencesAndVerifiableAcks()
    {
        await using var sequencer = Sequencer.Start(Options() with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) }, NullLogger.Instance);
        await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 1_000 });
        var wrongKey = TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = Alice.Address, Amount = 1, Nonce = 3 }, Bob, Domain);
        var withV27 = Withdraw(Alice, 4);
        var v27 = withV27.Signature.Bytes.ToArray();
        v27[64] += 27;
        withV27 = withV27 with { Signature = new Signature(v27) };
        Transaction[] batch =
        [
            Withdraw(Alice, 0),
            Withdraw(Bob, 0),
            wrongKey,
            Withdraw(Alice, 0), // the same nonce again, later in the same batch
            new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 5 },
            withV27,
            Withdraw(Alice, 1),
        ];

        var results = await sequencer.SubmitManyAsync(batch);

        Assert.Equal(
            [SubmitStatus.Accepted, SubmitStatus.Accepted, SubmitStatus.BadSignature, SubmitStatus.Replayed, SubmitStatus.Invalid, SubmitStatus.Accepted, SubmitStatus.Accepted],
            results.Select(r => r.Status));
        // The deposit took sequence 0; the four accepted follow it in batch order, with no gaps for the refusals.
        Assert.Equal([1UL, 2UL, 3UL, 4UL], results.Where(r => r.IsAccepted).Select(r => r.Sequence));
        Assert.Equal(5UL, sequencer.LoggedTransactions);
        foreach (var (tx, result) in batch.Zip(results).Where(p => p.Second.IsAccepted))
        {
            // The hash is of the canonical encoding (v as 0/1), computed here from the transaction, not taken from the sequencer.
            var canonical = tx.Signature.Bytes[64] >= 27 ? tx with { Signature = Canonical(tx.Signature) } : tx;
            var encoded = new byte[TransactionCodec.GetEncodedLength(canonical)];
            TransactionCodec.Encode(canonical, encoded);
            Assert.Equal(Keccak256.Compute(encoded), result.TxHash);
            Assert.Equal(SequencerKey.Address, AckReceipts.Signer(result.Sequence, result.TxHash, result.AckTree!.Root, result.AckTree.Proof(result.AckLeaf), result.AckTree.Signature, Domain));
        }
    }

    [Fact]
    public async Task SubmitMany_LogRefusesTheAppend_NoncesAndPendingCountsGivenBack()
    {
        await using var sequencer = Sequencer.Start(Options() with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) }, NullLogger.Instance);
        await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = 1_000 });
        Assert.True((await sequencer.SubmitAsync(Withdraw(Alice, 0))).IsAccepted);
        var before = sequencer.AdmissionOf(Alice.Address)!.Value;
        Assert.Equal(1, before.Pending);

        // The log stops taking appends (as after a failed write): the batch passes admission, then its append is refused.
        await sequencer.LogWriter.DisposeAsync();
        var results = await sequencer.SubmitManyAsync([Withdraw(Alice, 1), Withdraw(Alice, 2), Withdraw(Bob, 0)]);

        Assert.All(results, r => Assert.Equal(SubmitStatus.Unavailable, r.Status));
        Assert.All(results, r => Assert.Null(r.AckTree));
        // Each account is where it was before the batch: nonces 1 and 2 still free for Alice, nothing pending for Bob.
        var after = sequencer.AdmissionOf(Alice.Address)!.Value;
        Assert.Equal(before, after);
        Assert.Equal(ReplayError.None, after.Window.Check(1));
        Assert.Equal(ReplayError.None, after.Window.Check(2));
        var bob = sequencer.AdmissionOf(Bob.Address)!.Value;
        Assert.Equal(0, bob.Pending);
        Assert.Equal(ReplayError.None, bob.Window.Check(0));
        Assert.Equal(2UL, sequencer.LoggedTransactions);
    }

    [Fact]
    public async Task SubmitMany_NonceWindowDecidedInBatchOrder()
    {
        await using var sequencer = Sequencer.Start(Options() with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) }, NullLogger.Instance);
        // The window remembers 64 nonces below the highest used: 10 then 100 are both fine, 100 first leaves 10 too old.
        var ascending = await sequencer.SubmitManyAsync([Withdraw(Alice, 10), Withdraw(Alice, 100)]);
        Assert.All(ascending, r => Assert.Equal(SubmitStatus.Accepted, r.Status));
        Assert.True(ascending[0].Sequence < ascending[1].Sequence);
        var descending = await sequencer.SubmitManyAsync([Withdraw(Bob, 100), Withdraw(Bob, 10)]);
        Assert.Equal([SubmitStatus.Accepted, SubmitStatus.NonceTooOld], descending.Select(r => r.Status));
    }

    [Fact]
    public async Task SubmitMany_ConcurrentBatchesRacingOnOneAccount_ExecutionAcceptsExactlyWhatWasAcked()
    {
        await using var sequencer = Sequencer.Start(Options(), NullLogger.Instance);
        var blocks = sequencer.Subscribe(capacity: 10_000);
        const long Funds = 1_000_000;
        await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Alice.Address, Amount = (ulong)Funds });
        await sequencer.AppendSystemAsync(new Transaction { Kind = TxKind.Deposit, Account = Bob.Address, Amount = (ulong)Funds, DepositIndex = 1 });

        // Eight submitters interleave Alice's nonces (submitter t has t, t+8, ...) and race; some of their nonces fall
        // out of the window because another submitter got far ahead: refused then. What was acked must execute.
        const int Submitters = 8;
        const int PerSubmitter = 60;
        var submitters = Enumerable.Range(0, Submitters).Select(t => Task.Run(async () =>
        {
            var acked = 0;
            for (var i = 0; i < PerSubmitter; i += 5)
            {
                var batch = Enumerable.Range(i, 5).SelectMany(j => new[] { Withdraw(Alice, (ulong)(t + (Submitters * j))), Withdraw(Bob, (ulong)(t + (Submitters * j))) }).ToArray();
                var results = await sequencer.SubmitManyAsync(batch);
                Assert.All(results, r => Assert.True(r.IsAccepted || r.Status is SubmitStatus.NonceTooOld, r.Detail));
                acked += results.Count(r => r.IsAccepted);
            }
            return acked;
        })).ToArray();
        var ackedTotal = (await Task.WhenAll(submitters)).Sum();
        Assert.True(ackedTotal > 0);

        var executed = new List<Receipt>();
        await foreach (var block in blocks.ReadAllAsync())
        {
            executed.AddRange(block.Receipts);
            if (executed.Count >= ackedTotal + 2)
            {
                break;
            }
        }
        Assert.Equal(ackedTotal + 2, executed.Count); // the two deposits and every acked withdrawal, nothing else
        Assert.All(executed, r => Assert.Equal(TxStatus.Accepted, r.Status));
        var left = sequencer.Read(e => (e.TryGetFreeBalance(Alice.Address, out var a) ? a : 0) + (e.TryGetFreeBalance(Bob.Address, out var b) ? b : 0));
        Assert.Equal((2 * Funds) - ackedTotal, left);
    }

    [Fact]
    public async Task SubmitMany_AckedBatch_SurvivesRestartAndItsNoncesStayUsed()
    {
        var stopped = Options() with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) };
        await using (var sequencer = Sequencer.Start(stopped, NullLogger.Instance))
        {
            var results = await sequencer.SubmitManyAsync(Enumerable.Range(0, 40).Select(i => Withdraw(Alice, (ulong)i)).ToArray());
            Assert.All(results, r => Assert.True(r.IsAccepted));
        }
        await using var restarted = Sequencer.Start(stopped, NullLogger.Instance);
        Assert.Equal(40UL, restarted.LoggedTransactions);
        var again = await restarted.SubmitManyAsync([Withdraw(Alice, 0), Withdraw(Alice, 39), Withdraw(Alice, 40)]);
        Assert.Equal([SubmitStatus.Replayed, SubmitStatus.Replayed, SubmitStatus.Accepted], again.Select(r => r.Status));
        Assert.Equal(40UL, again[2].Sequence);
    }

    [Fact]
    public async Task AppendMany_NumberedBeforeDurable_ConsecutiveAndReadBackInOrder()
    {
        using var log = TxLog.Open(Path.Combine(_directory.Path, "txlog"));
        await using var writer = new GroupCommitLog(log);
        var single = Withdraw(Alice, 0);
        var firstSequence = await writer.AppendAsync(Encode(single), single);
        var run = new[] { Withdraw(Alice, 1), Withdraw(Bob, 0), Withdraw(Alice, 2) };
        var appended = writer.AppendMany(run.Select(Encode).ToArray(), run, run.Length);
        var numbered = await appended.Numbered;
        var durable = await appended.Durable;

        Assert.Equal(0UL, firstSequence);
        Assert.Equal(1UL, numbered);
        Assert.Equal(numbered, durable);
        Assert.Equal(4UL, log.NextSequence);
        var read = log.ReadRange(1, 4);
        Assert.Equal(run.Select(t => (t.Account, t.Nonce)), read.Select(t => (t.Account, t.Nonce)));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.AppendMany(run.Select(Encode).ToArray(), run, 0));
    }

    private static byte[] Encode(Transaction tx)
    {
        var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, encoded);
        return encoded;
    }

    private static Signature Canonical(Signature signature)
    {
        var bytes = signature.Bytes.ToArray();
        bytes[64] -= 27;
        return new Signature(bytes);
    }

    private static Transaction Withdraw(PrivateKey key, ulong nonce) =>
        TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = key.Address, Amount = 1, Nonce = nonce }, key, Domain);

    public void Dispose() => _directory.Dispose();
}
