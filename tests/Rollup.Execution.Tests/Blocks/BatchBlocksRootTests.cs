using System.Buffers.Binary;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>
/// The batch blocks root against a tree built here from the rules of docs/state.md and docs/batches.md alone
/// (keccak of the written-out header bytes, a top-down split on the key bits), and its proofs.
/// </summary>
public class BatchBlocksRootTests
{
    [Theory]
    [InlineData(0UL, 1UL, new[] { 3 })]
    [InlineData(0UL, 1UL, new[] { 0 })]
    [InlineData(17UL, 40UL, new[] { 2, 0, 0, 5, 1 })]
    [InlineData(1_234_567UL, 90_000UL, new[] { 0, 4, 0, 9, 0, 0, 1, 2, 3, 0, 7, 1, 1, 0, 6, 2, 8 })]
    [InlineData(ulong.MaxValue - 100, ulong.MaxValue - 3, new[] { 50, 0, 10, 40 })]
    public void The_root_is_the_tree_of_the_rules_over_block_number_keys_and_header_hashes(ulong firstSequence, ulong firstBlock, int[] counts)
    {
        var blocks = Blocks(firstBlock, counts);
        var leaves = new List<(byte[] Key, byte[] Value)>();
        var sequence = firstSequence;
        foreach (var block in blocks)
        {
            leaves.Add((BlockKey(block.Number), HeaderHash(block.Timestamp, sequence, (uint)block.Transactions.Length)));
            sequence += (ulong)block.Transactions.Length;
        }

        Assert.Equal(new Hash256(ReferenceTree.Root(leaves)), BatchBlocksRoot.Compute(firstSequence, blocks));
    }

    [Fact]
    public void One_and_two_block_roots_are_those_ethers_computes()
    {
        // ethers: L(n, t, s, c) = solidityPackedKeccak256(["bytes1","bytes32","bytes32"], ["0x00",
        //   solidityPackedKeccak256(["uint64"], [n]), solidityPackedKeccak256(["uint64","uint64","uint32"], [t, s, c])]);
        // the keys of blocks 1 and 2 part at bit 0, so {1, 2} is solidityPackedKeccak256(["bytes1","bytes32","bytes32"], ["0x01", L1, L2]).
        Block one = new(1, 1_700_000_000_000, Transactions(3));
        Block two = new(2, 1_700_000_000_250, []);
        Assert.Equal(Hash256.Parse("0x55f31f36c435b877c398f59f6b8b8e5d05988cf62932dbf1457f3d67eb2eb641"), BatchBlocksRoot.Compute(42, [one]));
        Assert.Equal(Hash256.Parse("0x3c76bd67f24ffa41cb77d35c7f266a5937f32206aebd58a18f51a4fabb3f2167"), BatchBlocksRoot.Compute(42, [one, two]));
    }

    [Fact]
    public void A_batch_of_empty_blocks_has_a_non_zero_root_that_still_names_their_times_and_first_sequence()
    {
        Block[] empty = [new Block(5, 1_000, []), new Block(6, 1_000, [])];
        var root = BatchBlocksRoot.Compute(77, empty);
        Assert.NotEqual(Hash256.Zero, root);
        Assert.NotEqual(root, BatchBlocksRoot.Compute(78, empty));
        Assert.NotEqual(root, BatchBlocksRoot.Compute(77, [empty[0], empty[1] with { Timestamp = 1_001 }]));
    }

    [Fact]
    public void Every_blocks_proof_verifies_for_its_header_and_for_no_other_field_or_block()
    {
        const ulong first = 500;
        var blocks = Blocks(firstBlock: 30, [4, 0, 7, 1, 0, 3, 2, 9, 5]);
        var root = BatchBlocksRoot.Compute(first, blocks);
        var sequence = first;
        for (var i = 0; i < blocks.Count; i++)
        {
            var (number, time, count) = (blocks[i].Number, blocks[i].Timestamp, (uint)blocks[i].Transactions.Length);
            var proof = BatchBlocksRoot.Prove(first, blocks, number);
            var key = new Hash256(BlockKey(number));
            Assert.True(proof.Verify(root, key, new Hash256(HeaderHash(time, sequence, count))), $"block {number}");

            Assert.False(proof.Verify(root, key, new Hash256(HeaderHash(time + 1, sequence, count))), $"block {number}, another timestamp");
            Assert.False(proof.Verify(root, key, new Hash256(HeaderHash(time, sequence + 1, count))), $"block {number}, another first sequence");
            Assert.False(proof.Verify(root, key, new Hash256(HeaderHash(time, sequence, count + 1))), $"block {number}, another tx count");
            var other = blocks[(i + 1) % blocks.Count].Number;
            Assert.False(proof.Verify(root, new Hash256(BlockKey(other)), new Hash256(HeaderHash(time, sequence, count))), $"block {number}'s proof for block {other}");
            sequence += count;
        }
    }

    [Fact]
    public void The_key_is_keccak_of_the_big_endian_block_number()
    {
        // keccak256(uint64 1) as ethers' solidityPackedKeccak256(["uint64"], [1]) gives it.
        Assert.Equal(new Hash256(BlockKey(1)), Hash256.Parse("0x6c31fc15422ebad28aaf9089c306702f67540b53c7eea8b7d2941044b027100f"));
        Block block = new(1, 1_700_000_000_000, Transactions(3));
        var proof = BatchBlocksRoot.Prove(42, [block], 1);
        Assert.Empty(proof.Siblings);
        Assert.Equal(Hash256.Parse("0x6c31fc15422ebad28aaf9089c306702f67540b53c7eea8b7d2941044b027100f"), proof.LeafKey);
        // solidityPackedKeccak256(["uint64","uint64","uint32"], [1700000000000, 42, 3]).
        Assert.Equal(Hash256.Parse("0xf92ef0bd5ba47be7eb8ab0e44fda4d6dd4d72f70ceb8ea7f7facd363aa28c84a"), proof.LeafValueHash);
    }

    /// <summary>Consecutive blocks from <paramref name="firstBlock"/> with the given transaction counts, 250 ms apart but for a repeated time.</summary>
    private static List<Block> Blocks(ulong firstBlock, int[] counts)
    {
        var blocks = new List<Block>(counts.Length);
        var time = 1_700_000_000_000UL;
        for (var i = 0; i < counts.Length; i++)
        {
            time += i % 3 == 2 ? 0UL : 250UL;
            blocks.Add(new Block(firstBlock + (ulong)i, time, Transactions(counts[i])));
        }
        return blocks;
    }

    private static Transaction[] Transactions(int count)
    {
        var txs = new Transaction[count];
        for (var i = 0; i < count; i++)
        {
            txs[i] = new Transaction { Kind = TxKind.Deposit, Account = ChainFlowGenerator.AddressOf(i + 1), Amount = 1_000 + (ulong)i, DepositIndex = (ulong)i };
        }
        return txs;
    }

    private static byte[] BlockKey(ulong number)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, number);
        return Keccak256.Compute(bytes).ToArray();
    }

    /// <summary>keccak256 of the 20 header bytes: u64 timestamp ‖ u64 first sequence ‖ u32 tx count, big-endian.</summary>
    private static byte[] HeaderHash(ulong timestamp, ulong firstSequence, uint txCount)
    {
        var bytes = new byte[20];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), firstSequence);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), txCount);
        return Keccak256.Compute(bytes).ToArray();
    }
}
