using Microsoft.Extensions.Logging.Abstractions;
using Rollup.Bridge.Batches;
using Rollup.Bridge.Posting;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Compression;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Posting;

public sealed class BatchPosterTests : IDisposable
{
    private readonly TempDirectory _directory = new("rollup-poster");
    private readonly ExecutionEngine _engine;
    private readonly EngineBlocks _blocks;

    public BatchPosterTests()
    {
        _engine = ExecutionEngine.Open(Path.Combine(_directory.Path, "state"), new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false });
        _blocks = new EngineBlocks(_engine);
        var flow = new ChainFlowGenerator(seed: 4, markets: 4, accounts: 30);
        for (var i = 0; i < 9; i++)
        {
            _engine.Execute(flow.Next(150));
        }
    }

    public void Dispose()
    {
        _engine.Dispose();
        _directory.Dispose();
    }

    private BatchPoster Poster(FakeSettlement l1, int maxBlocks = 4, int maxPartBytes = 4096) => new(l1, _blocks, new BatchPosterOptions
    {
        MaxBlocksPerBatch = maxBlocks,
        MaxPartBytes = maxPartBytes,
        Codec = CompressionCodecId.Lz4,
        IntentFile = Path.Combine(_directory.Path, "intent.json"),
    }, NullLogger.Instance);

    [Fact]
    public async Task Every_block_is_posted_once_in_chained_batches_whose_data_decodes_to_the_blocks()
    {
        var l1 = new FakeSettlement();
        var poster = Poster(l1);
        while (await poster.PostNextAsync(default) is not null)
        {
        }
        Assert.Equal([(1UL, 4UL), (5UL, 8UL), (9UL, 9UL)], l1.Committed.Select(c => (c.Commitment.FirstBlock, c.Commitment.LastBlock)));
        Assert.Equal(_engine.Head.StateRoot, l1.LastStateRoot);
        foreach (var (commitment, frame) in l1.Committed)
        {
            var batch = BatchFrame.Decode(frame, BatchLimits.Default);
            for (var i = 0; i < batch.Blocks.Count; i++)
            {
                Assert.Equal(_engine.GetBlock(commitment.FirstBlock + (ulong)i)!.Block.Transactions.Length, batch.Blocks[i].Transactions.Length);
            }
            Assert.Equal(_engine.GetBlock(commitment.LastBlock)!.StateRoot, commitment.NewStateRoot);
        }
        AssertTransactionsNumberedFromZero(l1);
        Assert.Null(await poster.PostNextAsync(default));
    }

    [Fact]
    public async Task A_batch_stops_before_the_block_that_would_take_it_past_the_transaction_cap()
    {
        var l1 = new FakeSettlement();
        var poster = new BatchPoster(l1, _blocks, new BatchPosterOptions { MaxBlocksPerBatch = 100, MaxTransactionsPerBatch = 320, Codec = CompressionCodecId.None }, NullLogger.Instance);
        while (await poster.PostNextAsync(default) is not null)
        {
        }
        Assert.True(l1.Committed.Count > 1);
        Assert.Equal(_engine.Head.BlockNumber, l1.Committed[^1].Commitment.LastBlock);
        foreach (var (commitment, frame) in l1.Committed)
        {
            var batch = BatchFrame.Decode(frame, BatchLimits.Default);
            Assert.True(batch.TransactionCount <= 320 || batch.Blocks.Count == 1, $"batch {commitment.BatchIndex}: {batch.TransactionCount} txs in {batch.Blocks.Count} blocks");
            var next = commitment.LastBlock + 1;
            if (next <= _engine.Head.BlockNumber)
            {
                // It did stop for the cap: the next block would not have fitted.
                Assert.True(batch.TransactionCount + _engine.GetBlock(next)!.Block.Transactions.Length > 320);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task An_outage_mid_batch_resumes_at_the_next_part_with_nothing_lost_or_posted_twice(int callsBeforeOutage)
    {
        var l1 = new FakeSettlement { FailAfterCalls = callsBeforeOutage };
        await Assert.ThrowsAsync<HttpRequestException>(() => Poster(l1, maxPartBytes: 1024).PostNextAsync(default));
        Assert.Empty(l1.Committed);

        var restarted = Poster(l1, maxPartBytes: 1024); // a new process: only the intent file and L1 carry over
        while (await restarted.PostNextAsync(default) is not null)
        {
        }
        Assert.Equal(0, l1.Discards);
        Assert.Equal(restarted.PartsPosted + callsBeforeOutage, SumParts(l1, 1024));
        Assert.Equal(_engine.Head.StateRoot, l1.LastStateRoot);
        AssertTransactionsNumberedFromZero(l1);
    }

    [Fact]
    public async Task Parts_on_L1_that_are_not_this_batch_are_discarded_and_posted_again()
    {
        var l1 = new FakeSettlement();
        l1.PostForeignPart([1, 2, 3]);
        var poster = Poster(l1);
        Assert.NotNull(await poster.PostNextAsync(default));
        Assert.Equal(1, l1.Discards);
        Assert.Equal(4UL, l1.Committed[0].Commitment.LastBlock);
    }

    [Fact]
    public async Task A_commitment_L1_refuses_drops_its_parts_and_block_range_and_a_later_round_builds_it_again()
    {
        // The flow credits all its deposits in block 1; L1 now demands one more than the first batch can consume.
        var l1 = new FakeSettlement { RequiredDepositCursor = _engine.GetBlock(1)!.NextDepositIndex + 1 };
        var poster = Poster(l1, maxBlocks: 2);
        await Assert.ThrowsAsync<L1RevertedException>(() => poster.PostNextAsync(default));
        Assert.Equal(1, l1.Discards);
        Assert.False(File.Exists(Path.Combine(_directory.Path, "intent.json")));
        Assert.Empty(l1.Committed);

        l1.RequiredDepositCursor = 0; // L1 would take it now
        Assert.NotNull(await poster.PostNextAsync(default));
        Assert.Single(l1.Committed);
        // The refused batch took no sequence numbers: the rebuilt one starts at 0, the next where it ends.
        var restarted = Poster(l1, maxBlocks: 2);
        while (await restarted.PostNextAsync(default) is not null)
        {
        }
        AssertTransactionsNumberedFromZero(l1);
    }

    [Fact]
    public async Task A_node_whose_state_differs_from_L1_refuses_to_post()
    {
        var l1 = new FakeSettlement();
        await Poster(l1).PostNextAsync(default);
        using var other = new TempDirectory("rollup-poster-other");
        using var engine = ExecutionEngine.Open(other.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 1, VerifySignatures = false });
        var flow = new ChainFlowGenerator(seed: 99, markets: 4, accounts: 30);
        for (var i = 0; i < 6; i++)
        {
            engine.Execute(flow.Next(50));
        }
        var poster = new BatchPoster(l1, new EngineBlocks(engine), new BatchPosterOptions(), NullLogger.Instance);
        await Assert.ThrowsAsync<InvalidDataException>(() => poster.PostNextAsync(default));
    }

    [Fact]
    public async Task Each_batchs_claims_root_is_the_accounts_claim_of_its_full_trace_from_where_the_previous_batch_ended()
    {
        // Signed blocks and a verifying engine: the trace checks every signature itself.
        using var chain = new StepChain();
        var generator = new ChainFlowGenerator(12, markets: 3, accounts: 30, signingDomain: StepChain.Domain);
        chain.Run([generator.Next(60), generator.Next(60), generator.Next(60), generator.Next(60)]);
        chain.Run([generator.Next(60), generator.Next(60), generator.Next(60), generator.Next(60)]);
        var head = chain.Engine.Head;
        var hostile = HostileBlocks.Build(head.BlockNumber + 1, head.NextDepositIndex, head.Timestamp + 250);
        Assert.Equal(4, hostile.Count);
        chain.Run(hostile);

        // Every block is executed before the first is posted, so each batch's start is rewound from the head.
        var l1 = new FakeSettlement();
        var poster = new BatchPoster(l1, new EngineBlocks(chain.Engine), new BatchPosterOptions { MaxBlocksPerBatch = 4, Codec = CompressionCodecId.Lz4 }, NullLogger.Instance);
        while (await poster.PostNextAsync(default) is not null)
        {
        }

        Assert.Equal(chain.Batches.Count, l1.Committed.Count);
        for (var i = 0; i < chain.Batches.Count; i++)
        {
            Assert.Equal(chain.Batches[i].Blocks[0].Number, l1.Committed[i].Commitment.FirstBlock);
            Assert.Equal(AccountsClaimByHand.ClaimsRoot(chain.Batches[i].Trace), l1.Committed[i].Commitment.ClaimsRoot);
        }
    }

    /// <summary>Each batch's range follows the last one's from sequence 0, and its count and roots are those of its blocks.</summary>
    private void AssertTransactionsNumberedFromZero(FakeSettlement l1)
    {
        var next = 0UL;
        foreach (var (commitment, _) in l1.Committed)
        {
            var blocks = new List<Block>();
            for (var number = commitment.FirstBlock; number <= commitment.LastBlock; number++)
            {
                blocks.Add(_engine.GetBlock(number)!.Block);
            }
            Assert.Equal(next, commitment.FirstSequence);
            Assert.Equal((ulong)blocks.Sum(b => b.Transactions.Length), commitment.TxCount);
            Assert.Equal(BatchTransactionRoot.Compute(next, blocks), commitment.TxRoot);
            Assert.Equal(BatchBlocksRoot.Compute(next, blocks), commitment.BlocksRoot);
            next += commitment.TxCount;
        }
        Assert.Equal(l1.NextSequence, next);
    }

    private static long SumParts(FakeSettlement l1, int partBytes)
    {
        long parts = 0;
        foreach (var (_, frame) in l1.Committed)
        {
            parts += (frame.Length + partBytes - 1) / partBytes;
        }
        return parts;
    }

    private sealed class EngineBlocks(ExecutionEngine engine) : IBlockSource
    {
        public ulong HeadBlock => engine.Head.BlockNumber;

        public BlockRecord? GetBlock(ulong number) => engine.GetBlock(number);

        public AccountsDomainState AccountsDomainStateAfter(ulong number) => engine.AccountsDomainStateAfter(number);
    }
}
