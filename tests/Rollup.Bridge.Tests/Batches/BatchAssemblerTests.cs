using System.Buffers.Binary;
using Rollup.Bridge.Batches;
using Rollup.Execution.Blocks;
using Rollup.Execution.State.Proofs;
using Rollup.Execution.Steps;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Compression;
using Rollup.Primitives.Hashing;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Batches;

public class BatchAssemblerTests
{
    /// <summary>The accounts domain before block 1 of <see cref="Execute"/>'s fresh engine: empty.</summary>
    private static readonly AccountsDomainState Genesis = new(Hash256.Zero, [], 0, 0, 0);

    [Fact]
    public void A_batch_replayed_on_a_fresh_engine_reaches_the_state_root_it_commits_to()
    {
        var (records, engineRoots) = Execute(seed: 5, blocks: 10);
        var prepared = BatchAssembler.Assemble(0, 0, Hash256.Zero, Genesis, null, records, CompressionCodecId.Lz4, maxPartBytes: 16 * 1024);

        Assert.True(prepared.Parts.Count > 1);
        var frame = BatchParts.Join(prepared.Parts, BatchLimits.Default);
        Assert.Equal(prepared.Commitment.BatchDataHash, BatchParts.DataHash(BatchParts.Split(frame, 16 * 1024)));
        var decoded = BatchFrame.Decode(frame, BatchLimits.Default);

        using var directory = new TempDirectory("rollup-replay");
        using var validator = ExecutionEngine.Open(directory.Path, Options(workers: 1));
        foreach (var block in decoded.Blocks)
        {
            validator.Execute(block);
        }
        Assert.Equal(prepared.Commitment.NewStateRoot, validator.Head.StateRoot);
        Assert.Equal(prepared.Commitment.MarketRootsRoot, validator.MarketsRoot);
        Assert.Equal(prepared.Commitment.DepositCursor, validator.Head.NextDepositIndex);
        Assert.Equal(records[0].Block.Number, prepared.Commitment.FirstBlock);
        Assert.Equal(records[^1].Block.Number, prepared.Commitment.LastBlock);
        Assert.NotEmpty(decoded.MarketRoots);
        foreach (var claimed in decoded.MarketRoots)
        {
            Assert.Equal(engineRoots[claimed.Market], claimed.Root);
            Assert.Equal(validator.MarketRoot(claimed.Market), claimed.Root);
        }
    }

    [Fact]
    public void The_commitments_transactions_are_those_the_posted_data_decodes_to_numbered_from_the_first_sequence()
    {
        var (records, _) = Execute(seed: 6, blocks: 5);
        const ulong first = 12_345;
        var prepared = BatchAssembler.Assemble(2, first, Hash256.Zero, Genesis, null, records, CompressionCodecId.Zstd);
        var decoded = BatchFrame.Decode(BatchParts.Join(prepared.Parts, BatchLimits.Default), BatchLimits.Default);

        var count = records.Sum(r => r.Block.Transactions.Length);
        Assert.Equal(first, prepared.Commitment.FirstSequence);
        Assert.Equal((ulong)count, prepared.Commitment.TxCount);
        Assert.Equal(BatchTransactionRoot.Compute(first, decoded.Blocks), prepared.Commitment.TxRoot);
        Assert.NotEqual(BatchTransactionRoot.Compute(first + 1, decoded.Blocks), prepared.Commitment.TxRoot);
        var sequence = first;
        foreach (var tx in decoded.Blocks.SelectMany(b => b.Transactions))
        {
            var proof = BatchTransactionRoot.Prove(first, decoded.Blocks, sequence);
            Assert.True(proof.Verify(prepared.Commitment.TxRoot, BatchTransactionRoot.Key(sequence), TransactionHash.Of(tx)));
            sequence++;
        }
    }

    [Fact]
    public void The_commitments_blocks_root_holds_each_posted_blocks_time_first_sequence_and_count()
    {
        var (records, _) = Execute(seed: 7, blocks: 6);
        const ulong first = 9_000;
        var prepared = BatchAssembler.Assemble(1, first, Hash256.Zero, Genesis, null, records, CompressionCodecId.Lz4);
        var decoded = BatchFrame.Decode(BatchParts.Join(prepared.Parts, BatchLimits.Default), BatchLimits.Default);

        Assert.Equal(BatchBlocksRoot.Compute(first, decoded.Blocks), prepared.Commitment.BlocksRoot);
        Assert.NotEqual(BatchBlocksRoot.Compute(first + 1, decoded.Blocks), prepared.Commitment.BlocksRoot);
        var sequence = first;
        foreach (var block in decoded.Blocks)
        {
            var proof = BatchBlocksRoot.Prove(first, decoded.Blocks, block.Number);
            var header = new byte[20]; // u64 timestamp ‖ u64 first sequence ‖ u32 tx count
            BinaryPrimitives.WriteUInt64BigEndian(header, block.Timestamp);
            BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(8), sequence);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(16), (uint)block.Transactions.Length);
            var key = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(key, block.Number);
            Assert.True(proof.Verify(prepared.Commitment.BlocksRoot, Keccak256.Compute(key), Keccak256.Compute(header)), $"block {block.Number}");
            sequence += (ulong)block.Transactions.Length;
        }
    }

    [Fact]
    public void The_commitments_claims_root_is_the_accounts_domains_claim_as_its_full_trace_makes_it()
    {
        using var chain = new StepChain();
        var generator = new ChainFlowGenerator(11, markets: 4, accounts: 30, signingDomain: StepChain.Domain);
        chain.Run([generator.Next(100), generator.Next(100)]);
        chain.Run([generator.Next(100)]);
        var head = chain.Engine.Head;
        chain.Run(HostileBlocks.Build(head.BlockNumber + 1, head.NextDepositIndex, head.Timestamp + 250));

        var firstSequence = 0UL;
        for (var i = 0; i < chain.Batches.Count; i++)
        {
            var traced = chain.Batches[i];
            var records = traced.Blocks.Select(b => chain.Engine.GetBlock(b.Number)!).ToList();
            var prepared = BatchAssembler.Assemble((ulong)i, firstSequence, Hash256.Zero, traced.Start, null, records, CompressionCodecId.Zstd);
            Assert.Equal(AccountsClaimByHand.ClaimsRoot(traced.Trace), prepared.Commitment.ClaimsRoot);
            firstSequence += prepared.Commitment.TxCount;
        }
    }

    [Fact]
    public void Every_withdrawal_of_a_batch_is_provable_against_the_batch_root_and_no_altered_one_is()
    {
        var (records, _) = Execute(seed: 9, blocks: 14);
        var prepared = BatchAssembler.Assemble(3, 4_000, Hash256.Zero, Genesis, null, records, CompressionCodecId.Zstd);
        Assert.NotEmpty(prepared.Withdrawals);
        Assert.Contains(prepared.Withdrawals, w => w.BlockNumber != prepared.Withdrawals[0].BlockNumber);
        foreach (var withdrawal in prepared.Withdrawals)
        {
            var proof = BatchAssembler.ProveWithdrawal(prepared.Withdrawals, withdrawal.BlockNumber, withdrawal.TxIndex);
            Assert.True(StateProofVerifier.Verify(proof, prepared.Commitment.WithdrawalsRoot));
            Assert.False(StateProofVerifier.Verify(proof with { Withdrawal = withdrawal with { Amount = withdrawal.Amount + 1 } }, prepared.Commitment.WithdrawalsRoot));
            Assert.False(StateProofVerifier.Verify(proof with { Withdrawal = withdrawal with { TxIndex = withdrawal.TxIndex + 1 } }, prepared.Commitment.WithdrawalsRoot));
        }
    }

    [Fact]
    public void The_same_blocks_assemble_to_the_same_bytes()
    {
        var (records, _) = Execute(seed: 2, blocks: 4);
        var first = BatchAssembler.Assemble(1, 77, Hash256.Zero, Genesis, null, records, CompressionCodecId.Zstd);
        var second = BatchAssembler.Assemble(1, 77, Hash256.Zero, Genesis, null, records, CompressionCodecId.Zstd);
        Assert.Equal(first.Frame, second.Frame);
        Assert.Equal(first.Commitment, second.Commitment);
    }

    private static EngineOptions Options(int workers) =>
        new() { Operators = ChainFlowGenerator.Operators, Workers = workers, VerifySignatures = false };

    private static (List<BlockRecord> Records, Dictionary<uint, Hash256> MarketRoots) Execute(int seed, int blocks)
    {
        using var directory = new TempDirectory("rollup-batch-source");
        using var engine = ExecutionEngine.Open(directory.Path, Options(workers: 2));
        var flow = new ChainFlowGenerator(seed, markets: 6, accounts: 40);
        var records = new List<BlockRecord>();
        for (var i = 0; i < blocks; i++)
        {
            var block = flow.Next(200);
            engine.Execute(block);
            records.Add(engine.GetBlock(block.Number)!);
        }
        var roots = new Dictionary<uint, Hash256>();
        foreach (var market in engine.Markets)
        {
            roots[market.Id] = engine.MarketRoot(market.Id);
        }
        return (records, roots);
    }
}
