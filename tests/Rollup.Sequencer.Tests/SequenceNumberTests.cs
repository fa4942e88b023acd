using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// The claim a batch's transaction root rests on (docs/batches.md): blocks partition the sequencer's log in order
/// from sequence 0, so the k-th transaction of the chain, counting every transaction of every block from block 1
/// (deposits included), is the one acked, or appended as a deposit, at sequence k.
/// </summary>
public sealed class SequenceNumberTests : IDisposable
{
    private static readonly PrivateKey SequencerKey = ChainFlowGenerator.KeyOf(0xFFF9);
    private static readonly PrivateKey[] Traders = [ChainFlowGenerator.KeyOf(1), ChainFlowGenerator.KeyOf(2), ChainFlowGenerator.KeyOf(3)];

    private readonly TempDirectory _directory = new("rollup-sequence");
    private readonly Dictionary<Address, ulong> _nonces = [];
    private readonly List<(ulong Sequence, Hash256 TxHash)> _acks = [];
    private readonly List<(ulong Sequence, Transaction Deposit)> _deposits = [];
    private ulong _nextDeposit;

    [Fact]
    public async Task Every_ack_and_deposit_sequence_is_its_transactions_position_in_the_blocks_across_a_restart()
    {
        // Blocks cut every 10 ms while transactions arrive concurrently from three accounts, deposits in between.
        await using (var sequencer = Sequencer.Start(TestChain.Options(_directory.Path), NullLogger.Instance))
        {
            foreach (var trader in Traders)
            {
                await DepositAsync(sequencer, trader.Address, 1_000);
            }
            for (var round = 0; round < 6; round++)
            {
                await Task.WhenAll(Traders.Select(t => SubmitAsync(sequencer, t, count: 8)));
                await DepositAsync(sequencer, Traders[round % Traders.Length].Address, 5);
                // Each round in blocks of its own, however fast the log is.
                await BlocksHoldingAsync(sequencer, _acks.Count + _deposits.Count);
            }
            // Taken at admission, refused at execution: still a sequence number and a place in a block.
            await SubmitAsync(sequencer, Traders[0], count: 1, amount: 1_000_000);
            // Refused at admission: no sequence number at all.
            Assert.Equal(SubmitStatus.BadSignature, (await sequencer.SubmitAsync(Withdraw(Traders[1], 999, 1) with { Amount = 2 })).Status);
        }
        // Logged while no block is cut, then a restart: recovery puts them into the next block.
        var stopped = TestChain.Options(_directory.Path) with { BlockInterval = TimeSpan.FromHours(1), IdleBlockInterval = TimeSpan.FromHours(1) };
        await using (var sequencer = Sequencer.Start(stopped, NullLogger.Instance))
        {
            await SubmitAsync(sequencer, Traders[2], count: 5);
            await DepositAsync(sequencer, Traders[2].Address, 7);
        }
        await using (var sequencer = Sequencer.Start(TestChain.Options(_directory.Path), NullLogger.Instance))
        {
            await Task.WhenAll(Traders.Select(t => SubmitAsync(sequencer, t, count: 4)));

            var total = _acks.Count + _deposits.Count;
            var blocks = await BlocksHoldingAsync(sequencer, total);
            var chain = blocks.SelectMany(b => b.Transactions).ToArray();
            Assert.Equal(total, chain.Length);
            Assert.True(blocks.Count(b => b.Transactions.Length > 0) >= 7, $"{blocks.Count} blocks: six rounds in blocks of their own, then what came after the restarts");

            foreach (var (sequence, txHash) in _acks)
            {
                Assert.Equal(txHash, EncodingHash(chain[checked((int)sequence)]));
            }
            foreach (var (sequence, deposit) in _deposits)
            {
                Assert.Equal(deposit, chain[checked((int)sequence)]);
            }
            var numbered = _acks.Select(a => a.Sequence).Concat(_deposits.Select(d => d.Sequence)).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, total).Select(k => (ulong)k), numbered);

            // So an ack checks against the root of any batch of whole blocks, the batch starting at the number of
            // transactions in the blocks before it.
            var split = blocks.Count / 2;
            (ulong First, List<Block> Blocks)[] batches =
            [
                (0, blocks[..split]),
                (BatchTransactionRoot.CountTransactions(blocks[..split]), blocks[split..]),
            ];
            foreach (var (first, batch) in batches)
            {
                var root = BatchTransactionRoot.Compute(first, batch);
                var end = first + BatchTransactionRoot.CountTransactions(batch);
                foreach (var (sequence, txHash) in _acks.Where(a => a.Sequence >= first && a.Sequence < end))
                {
                    Assert.True(BatchTransactionRoot.Prove(first, batch, sequence).Verify(root, BatchTransactionRoot.Key(sequence), txHash), $"ack {sequence}");
                }
            }
        }
    }

    public void Dispose() => _directory.Dispose();

    private async Task DepositAsync(Sequencer sequencer, Address account, ulong amount)
    {
        var deposit = new Transaction { Kind = TxKind.Deposit, Account = account, Amount = amount, DepositIndex = _nextDeposit++ };
        _deposits.Add((await sequencer.AppendSystemAsync(deposit), deposit));
    }

    private async Task SubmitAsync(Sequencer sequencer, PrivateKey trader, int count, long amount = 1)
    {
        var transactions = new List<Transaction>();
        for (var i = 0; i < count; i++)
        {
            _nonces.TryGetValue(trader.Address, out var nonce);
            _nonces[trader.Address] = nonce + 1;
            transactions.Add(Withdraw(trader, nonce, amount));
        }
        foreach (var result in await sequencer.SubmitManyAsync(transactions))
        {
            Assert.Equal(SubmitStatus.Accepted, result.Status);
            // The signed ack, checked by the spec's rules: the sequence is the one the sequencer signed.
            Assert.Equal(SequencerKey.Address, AckReceipts.Signer(result.Sequence, result.TxHash, result.AckTree!.Root, result.AckTree.Proof(result.AckLeaf), result.AckTree.Signature, TestChain.Domain));
            lock (_acks)
            {
                _acks.Add((result.Sequence, result.TxHash));
            }
        }
    }

    /// <summary>Blocks 1.. once they hold <paramref name="transactions"/> transactions in all.</summary>
    private static async Task<List<Block>> BlocksHoldingAsync(Sequencer sequencer, int transactions)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var blocks = sequencer.Read(engine =>
            {
                var all = new List<Block>();
                for (var n = 1UL; n <= engine.Head.BlockNumber; n++)
                {
                    all.Add(engine.GetBlock(n)!.Block);
                }
                return all;
            });
            if (blocks.Sum(b => b.Transactions.Length) >= transactions)
            {
                return blocks;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the blocks hold {blocks.Sum(b => b.Transactions.Length)} of {transactions} transactions after 30 s");
            await Task.Delay(20); // blocks are cut every 10 ms
        }
    }

    private static Transaction Withdraw(PrivateKey key, ulong nonce, long amount) =>
        TransactionSigning.Sign(new Transaction { Kind = TxKind.Withdraw, Account = key.Address, Amount = (ulong)amount, Nonce = nonce }, key, TestChain.Domain);

    private static Hash256 EncodingHash(in Transaction tx)
    {
        var encoding = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, encoding);
        return Keccak256.Compute(encoding);
    }
}
