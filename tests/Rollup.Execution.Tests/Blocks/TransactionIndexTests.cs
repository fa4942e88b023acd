using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Storage;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>The engine finds every executed transaction by hash and by sequence number, on RocksDB, across reopens.</summary>
public class TransactionIndexTests
{
    private static readonly EngineOptions Options = new() { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false };

    [Fact]
    public void Every_transaction_is_found_by_hash_and_by_sequence_with_empty_blocks_between_and_after_a_reopen()
    {
        using var directory = new TempDirectory("rollup-tx-index");
        var expected = new List<(Hash256 Hash, ulong Block, int Index)>();
        using (var engine = ExecutionEngine.Open(directory.Path, Options))
        {
            foreach (var block in WithEmptyBlocks(DeterminismTests.Generate(seed: 5, count: 6)))
            {
                engine.Execute(block);
                expected.AddRange(block.Transactions.Select((tx, i) => (TransactionHash.Of(tx), block.Number, i)));
            }
            AssertFindsEach(engine, expected);
        }
        using (var reopened = ExecutionEngine.Open(directory.Path, Options))
        {
            AssertFindsEach(reopened, expected);
            // Numbering goes on where it stopped.
            var next = new Block(reopened.Head.BlockNumber + 1, reopened.Head.Timestamp, [new Transaction { Kind = TxKind.Deposit, Account = ChainFlowGenerator.AddressOf(77), Amount = 1, DepositIndex = reopened.Head.NextDepositIndex }]);
            reopened.Execute(next);
            Assert.Equal(new TxLocation(next.Number, 0, (ulong)expected.Count), reopened.FindTransaction((ulong)expected.Count));
        }
    }

    [Fact]
    public void A_database_written_without_the_index_is_indexed_when_opened()
    {
        using var directory = new TempDirectory("rollup-tx-index-old");
        var expected = new List<(Hash256 Hash, ulong Block, int Index)>();
        using (var engine = ExecutionEngine.Open(directory.Path, Options))
        {
            foreach (var block in WithEmptyBlocks(DeterminismTests.Generate(seed: 9, count: 4)))
            {
                engine.Execute(block);
                expected.AddRange(block.Transactions.Select((tx, i) => (TransactionHash.Of(tx), block.Number, i)));
            }
        }
        // What an earlier version left: the same tables, the index column empty.
        using (var db = RocksDb.Open<StateColumn>(directory.Path))
        {
            using var batch = db.CreateWriteBatch();
            using var entries = db.CreateIterator(StateColumn.TxLookup);
            var removed = 0;
            for (var valid = entries.SeekToFirst(); valid; valid = entries.Next(), removed++)
            {
                batch.Delete(StateColumn.TxLookup, entries.Key);
            }
            batch.Commit();
            Assert.True(removed > expected.Count);
        }
        using var reopened = ExecutionEngine.Open(directory.Path, Options);
        Assert.Equal((ulong)expected.Count, reopened.NextSequence);
        AssertFindsEach(reopened, expected);
    }

    private static void AssertFindsEach(ExecutionEngine engine, List<(Hash256 Hash, ulong Block, int Index)> expected)
    {
        Assert.True(expected.Count > 20);
        for (var sequence = 0; sequence < expected.Count; sequence++)
        {
            var (hash, block, index) = expected[sequence];
            var location = new TxLocation(block, index, (ulong)sequence);
            Assert.Equal(location, engine.FindTransaction(hash));
            Assert.Equal(location, engine.FindTransaction((ulong)sequence));
        }
        Assert.Null(engine.FindTransaction((ulong)expected.Count));
        Assert.Null(engine.FindTransaction(ulong.MaxValue));
        Assert.Null(engine.FindTransaction(new Hash256(Enumerable.Repeat((byte)0xAB, 32).ToArray())));
        Assert.Equal((ulong)expected.Count, engine.NextSequence);
    }

    /// <summary>The blocks renumbered with an empty block before each and one at the end (idle blocks hold no sequence).</summary>
    private static IEnumerable<Block> WithEmptyBlocks(List<Block> blocks)
    {
        var number = 1UL;
        foreach (var block in blocks)
        {
            yield return new Block(number++, block.Timestamp, []);
            yield return block with { Number = number++ };
        }
        yield return new Block(number, blocks[^1].Timestamp, []);
    }
}
