using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Storage;
using Rollup.Testing;

namespace Rollup.Execution.Tests.State;

public class RocksMerkleNodeStoreTests
{
    [Fact]
    public void Update_CommittedAcrossReopens_SameRootsAsInMemoryTree()
    {
        using var directory = new TempDirectory("rollup-smt");
        var reference = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var random = new Random(3);
        var keys = Enumerable.Range(0, 3_000).Select(i => Keccak256.Compute(BitConverter.GetBytes(i))).ToArray();
        var db = RocksDb.Open<StateColumn>(directory.Path);
        try
        {
            for (var round = 0; round < 30; round++)
            {
                if (round % 7 == 6)
                {
                    db.Dispose();
                    db = RocksDb.Open<StateColumn>(directory.Path);
                }
                var store = new RocksMerkleNodeStore(db, StateTrees.MarketTreeId(9));
                var tree = new SparseMerkleTree(store);
                var updates = keys.OrderBy(_ => random.Next()).Take(random.Next(1, 400))
                    .Select(k => new MerkleUpdate(k, random.Next(5) == 0 ? Hash256.Zero : Keccak256.Compute(BitConverter.GetBytes(random.Next()))))
                    .ToArray();
                var root = tree.Update((MerkleUpdate[])updates.Clone());
                Assert.Equal(reference.Update(updates), root);

                // A second tree id in the same table is independent.
                using var batch = db.CreateWriteBatch();
                store.WriteTo(batch);
                batch.Commit();
                Assert.Equal(root, new SparseMerkleTree(new RocksMerkleNodeStore(db, StateTrees.MarketTreeId(9))).Root);
                Assert.Equal(Hash256.Zero, new SparseMerkleTree(new RocksMerkleNodeStore(db, StateTrees.MarketTreeId(10))).Root);
            }
        }
        finally
        {
            db.Dispose();
        }
    }

    [Fact]
    public void Discard_AfterUpdate_TreeBackToCommittedRoot()
    {
        using var directory = new TempDirectory("rollup-smt-discard");
        using var db = RocksDb.Open<StateColumn>(directory.Path);
        var store = new RocksMerkleNodeStore(db, StateTrees.AccountsTreeId());
        var tree = new SparseMerkleTree(store);
        var committed = tree.Update(Enumerable.Range(0, 100).Select(i => new MerkleUpdate(Keccak256.Compute(BitConverter.GetBytes(i)), Keccak256.Compute(BitConverter.GetBytes(-i)))).ToArray());
        using (var batch = db.CreateWriteBatch())
        {
            store.WriteTo(batch);
            batch.Commit();
        }
        tree.Update([new MerkleUpdate(Keccak256.Compute("other"u8), Keccak256.Compute("value"u8))]);
        Assert.NotEqual(committed, tree.Root);
        store.Discard();
        Assert.Equal(committed, tree.Root);
    }
}
