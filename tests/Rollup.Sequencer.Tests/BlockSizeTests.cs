using Rollup.Api;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Sequencer.Log;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// A block is cut by order slots as well as transactions, so that a block of bulks stays a size every gRPC client
/// takes: StreamBlocks sends a block as one message, and grpc-js, grpcio and grpc-go refuse messages over 4 MiB by default.
/// </summary>
public sealed class BlockSizeTests : IDisposable
{
    private const int ClientMessageLimit = 4 * 1024 * 1024;

    private readonly TempDirectory _directory = new("rollup-block-size");

    [Fact]
    public async Task Cut_BulksPastTheSlotBudget_BlocksStayWithinItInOrder()
    {
        var generator = new ChainFlowGenerator(seed: 3, markets: 2, accounts: 80) { BulkItems = 16 };
        generator.Next(); // the markets and deposits
        generator.Next();
        var flow = generator.Next(1_000).Transactions;
        using var log = TxLog.Open(Path.Combine(_directory.Path, "txlog"));
        await using var writer = new GroupCommitLog(log);
        await writer.AppendMany([.. flow.Select(Encode)], flow, flow.Length).Durable;

        var cut = new List<Transaction>();
        while (await writer.CutBlockAsync(1, allowEmpty: false, maxTransactions: 10_000, maxOrderSlots: 500) is { } block)
        {
            var slots = block.Transactions.Sum(Slots);
            Assert.True(slots <= 500 || block.Transactions.Length == 1, $"block {block.Block.Number}: {slots} order slots");
            Assert.True(slots + (cut.Count + block.Transactions.Length < flow.Length ? Slots(flow[cut.Count + block.Transactions.Length]) : 0) > 500
                || cut.Count + block.Transactions.Length == flow.Length, $"block {block.Block.Number} was cut with room for the next transaction");
            cut.AddRange(block.Transactions);
        }
        Assert.True(flow.Sum(Slots) > 2 * 500, "the flow does not need several blocks");
        Assert.Equal(flow.Select(t => (t.Account, t.Nonce)), cut.Select(t => (t.Account, t.Nonce)));
    }

    /// <summary>A full block at the default budget, of 16-item and of 64-item bulks, executed, as StreamBlocks sends it.</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void FullBlockOfBulks_AtTheDefaultBudget_StreamsUnderTheClientsLimit(int items)
    {
        var generator = new ChainFlowGenerator(seed: 4, markets: 4, accounts: 400) { BulkItems = items };
        using var engine = ExecutionEngine.Open(Path.Combine(_directory.Path, $"state-{items}"), TestChain.Engine with { VerifySignatures = false, Operators = ChainFlowGenerator.Operators });
        engine.Execute(generator.Next());
        engine.Execute(generator.Next());
        var transactions = new List<Transaction>();
        var slots = 0;
        while (slots < SequencerOptions.DefaultMaxBlockOrderSlots)
        {
            foreach (var tx in generator.Next(2_000).Transactions)
            {
                if (slots + Slots(tx) > SequencerOptions.DefaultMaxBlockOrderSlots)
                {
                    break;
                }
                transactions.Add(tx);
                slots += Slots(tx);
            }
            if (SequencerOptions.DefaultMaxBlockOrderSlots - slots < items)
            {
                break;
            }
        }
        var head = engine.Head;
        var result = engine.Execute(new Block(head.BlockNumber + 1, head.Timestamp + 250, [.. transactions]));
        var message = ProtoViews.Block(result.Number, result.Timestamp, result.StateRoot, result.WithdrawalsRoot, [.. transactions], [.. result.Receipts]);
        var size = message.CalculateSize();
        Assert.True(size < ClientMessageLimit, $"{transactions.Count} transactions, {slots} order slots: {size:N0} bytes ({size / (double)slots:F1} a slot)");
        Assert.True(transactions.Count(t => t.Kind == TxKind.Bulk) * items > slots / 2, "the block is mostly bulks");
    }

    public void Dispose() => _directory.Dispose();

    private static int Slots(Transaction tx) => tx.Kind == TxKind.Bulk ? Math.Max(1, tx.Items?.Count ?? 1) : 1;

    private static byte[] Encode(Transaction tx)
    {
        var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, encoded);
        return encoded;
    }
}
