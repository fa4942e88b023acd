using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>
/// The batch transaction root against a tree built here from the rules of docs/state.md and docs/batches.md alone
/// (keccak of the written-out bytes, a top-down split on the key bits), and its proofs.
/// </summary>
public class BatchTransactionRootTests
{
    [Theory]
    [InlineData(0UL, 1, 1)]
    [InlineData(0UL, 3, 40)]
    [InlineData(1_234_567UL, 4, 25)]
    [InlineData(ulong.MaxValue - 10_000, 2, 60)]
    public void The_root_is_the_tree_of_the_rules_over_sequence_keys_and_transaction_hashes(ulong firstSequence, int blockCount, int perBlock)
    {
        var blocks = Blocks(seed: blockCount * 31 + perBlock, blockCount, perBlock);
        var leaves = new List<(byte[] Key, byte[] Value)>();
        var sequence = firstSequence;
        foreach (var block in blocks)
        {
            foreach (var tx in block.Transactions)
            {
                leaves.Add((SequenceKey(sequence++), EncodingHash(tx)));
            }
        }

        Assert.Equal(new Hash256(ReferenceTree.Root(leaves)), BatchTransactionRoot.Compute(firstSequence, blocks));
        Assert.Equal((ulong)leaves.Count, BatchTransactionRoot.CountTransactions(blocks));
    }

    [Fact]
    public void A_batch_without_transactions_has_the_empty_trees_root_zero()
    {
        Block[] empty = [new Block(5, 1_000, []), new Block(6, 1_250, [])];
        Assert.Equal(Hash256.Zero, BatchTransactionRoot.Compute(77, empty));
    }

    [Fact]
    public void The_same_transactions_at_other_sequence_numbers_have_another_root()
    {
        var blocks = Blocks(seed: 3, blockCount: 2, perBlock: 10);
        Assert.NotEqual(BatchTransactionRoot.Compute(100, blocks), BatchTransactionRoot.Compute(101, blocks));
    }

    [Fact]
    public void Every_transactions_proof_verifies_for_its_sequence_and_hash_and_for_nothing_else()
    {
        const ulong first = 500;
        var blocks = Blocks(seed: 11, blockCount: 3, perBlock: 30);
        var root = BatchTransactionRoot.Compute(first, blocks);
        var transactions = blocks.SelectMany(b => b.Transactions).ToArray();
        for (var k = 0; k < transactions.Length; k++)
        {
            var sequence = first + (ulong)k;
            var hash = new Hash256(EncodingHash(transactions[k]));
            var proof = BatchTransactionRoot.Prove(first, blocks, sequence);
            Assert.True(proof.Verify(root, new Hash256(SequenceKey(sequence)), hash), $"sequence {sequence}");

            var other = first + (ulong)((k + 1) % transactions.Length);
            Assert.False(proof.Verify(root, new Hash256(SequenceKey(other)), hash), $"sequence {sequence}'s proof for sequence {other}");
            var otherHash = new Hash256(EncodingHash(transactions[(k + 1) % transactions.Length]));
            Assert.False(proof.Verify(root, new Hash256(SequenceKey(sequence)), otherHash), $"sequence {sequence}'s proof for another transaction");
        }
    }

    [Fact]
    public void A_proof_of_a_sequence_outside_the_batch_is_refused()
    {
        var blocks = Blocks(seed: 5, blockCount: 1, perBlock: 4);
        var end = 10 + (ulong)blocks[0].Transactions.Length;
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchTransactionRoot.Prove(10, blocks, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchTransactionRoot.Prove(10, blocks, end));
        Assert.NotNull(BatchTransactionRoot.Prove(10, blocks, end - 1));
    }

    [Fact]
    public void The_key_is_keccak_of_the_big_endian_sequence()
    {
        // keccak256(uint64 0) as ethers' solidityPackedKeccak256(["uint64"], [0]) gives it.
        Assert.Equal(Hash256.Parse("0x011b4d03dd8c01f1049143cf9c4c817e4b167f1d1b83e5c6f0f10d89ba1e7bce"), BatchTransactionRoot.Key(0));
        Assert.Equal(new Hash256(SequenceKey(0x0102030405060708)), BatchTransactionRoot.Key(0x0102030405060708));
    }

    /// <summary>Blocks of the flow generator's kinds (deposits, market admin, oracle updates, orders, withdrawals), past its set-up blocks.</summary>
    private static List<Block> Blocks(int seed, int blockCount, int perBlock)
    {
        var flow = new ChainFlowGenerator(seed, markets: 3, accounts: 12);
        var blocks = new List<Block> { flow.Next(perBlock) };
        while (blocks.Count < blockCount)
        {
            blocks.Add(flow.Next(perBlock));
        }
        return blocks;
    }

    private static byte[] SequenceKey(ulong sequence)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, sequence);
        return Keccak256.Compute(bytes).ToArray();
    }

    private static byte[] EncodingHash(in Transaction tx)
    {
        var encoding = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, encoding);
        return Keccak256.Compute(encoding).ToArray();
    }
}
