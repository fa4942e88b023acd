using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.State.Proofs;
using Rollup.Primitives;
using Rollup.Storage;
using Rollup.Testing;

namespace Rollup.Execution.Tests.State;

/// <summary>
/// The engine keeps its state trees in memory only and rebuilds them from the records when it opens (and a
/// faulted market's tree from its committed records): the rebuilt trees must be the ones the blocks built.
/// </summary>
public class StateTreeTests
{
    private const int Markets = 4;
    private const int Accounts = 30;

    private static EngineOptions Options(int workers = 2, Func<uint, ulong, bool>? fault = null) =>
        new() { Operators = ChainFlowGenerator.Operators, Workers = workers, VerifySignatures = false, InjectFault = fault };

    [Fact]
    public void Reopen_AfterBlocks_SameRootsAndSameProofs()
    {
        using var directory = new TempDirectory("rollup-trees");
        var generator = new ChainFlowGenerator(5, Markets, Accounts);
        Snapshot before;
        using (var engine = ExecutionEngine.Open(directory.Path, Options()))
        {
            for (var i = 0; i < 10; i++)
            {
                engine.Execute(generator.Next(300));
            }
            before = Snapshot.Of(engine);
        }

        using var reopened = ExecutionEngine.Open(directory.Path, Options(workers: 1));
        var after = Snapshot.Of(reopened);
        before.AssertSame(after);
        Assert.True(after.PositionProofs.Count > 10);
        foreach (var proof in after.AccountProofs)
        {
            Assert.True(StateProofVerifier.Verify(proof, reopened.Head.StateRoot));
        }
        foreach (var proof in after.PositionProofs)
        {
            Assert.True(StateProofVerifier.Verify(proof, reopened.Head.StateRoot));
        }

        // And the reopened trees take further blocks exactly as trees that never left memory.
        using var control = new TempDirectory("rollup-trees-control");
        using var uninterrupted = ExecutionEngine.Open(control.Path, Options());
        var replay = new ChainFlowGenerator(5, Markets, Accounts);
        for (var i = 0; i < 10; i++)
        {
            uninterrupted.Execute(replay.Next(300));
        }
        for (var i = 0; i < 5; i++)
        {
            var block = generator.Next(300);
            Assert.Equal(uninterrupted.Execute(block).StateRoot, reopened.Execute(block).StateRoot);
        }
    }

    [Fact]
    public void Open_RecordChangedBehindTheEngine_RefusedAsCorrupt()
    {
        using var directory = new TempDirectory("rollup-trees-corrupt");
        var generator = new ChainFlowGenerator(9, Markets, Accounts);
        using (var engine = ExecutionEngine.Open(directory.Path, Options()))
        {
            for (var i = 0; i < 4; i++)
            {
                engine.Execute(generator.Next(200));
            }
        }
        using (var db = RocksDb.Open<StateColumn>(directory.Path))
        {
            var account = ChainFlowGenerator.AddressOf(1);
            var record = db.Get(StateColumn.Accounts, account.Bytes);
            Assert.NotNull(record);
            record[7] ^= 1;
            db.Put(StateColumn.Accounts, account.Bytes, record);
        }

        Assert.Throws<InvalidDataException>(() => ExecutionEngine.Open(directory.Path, Options()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fault_AfterMarketTreeUpdated_TreeBackToCommittedRecordsAtAnyWorkerCount(int workers)
    {
        // Market 2 fails at block 6 after it updated its tree: the tree must go back with the records, so the
        // halted market's proofs verify, a reopen (which rebuilds every tree from the records and checks the
        // head's root) accepts the state, and engines with different worker counts agree.
        const uint faulty = 2;
        const ulong faultBlock = 6;
        using var directory = new TempDirectory("rollup-trees-fault");
        var generator = new ChainFlowGenerator(13, Markets, Accounts);
        Snapshot afterFault;
        var roots = new List<Hash256>();
        using (var engine = ExecutionEngine.Open(directory.Path, Options(workers, (market, block) => market == faulty && block == faultBlock)))
        {
            for (var i = 0; i < 5; i++)
            {
                engine.Execute(generator.Next(300));
            }
            var positionsBefore = PositionsOf(engine, faulty);
            var result = engine.Execute(generator.Next(300));
            Assert.Equal([faulty], result.FaultedMarkets);
            Assert.Equal(positionsBefore, PositionsOf(engine, faulty));
            Assert.Contains(result.MarketRoots, r => r.Market == faulty && r.Root == engine.MarketRoot(faulty));
            afterFault = Snapshot.Of(engine);
            foreach (var proof in afterFault.PositionProofs)
            {
                Assert.True(StateProofVerifier.Verify(proof, engine.Head.StateRoot));
            }
            roots.Add(engine.Head.StateRoot);
            for (var i = 0; i < 3; i++)
            {
                roots.Add(engine.Execute(generator.Next(300)).StateRoot);
            }
        }
        Assert.Contains(afterFault.PositionProofs, p => p.Market == faulty);

        using (var reopened = ExecutionEngine.Open(directory.Path, Options(workers)))
        {
            Assert.Equal(roots[^1], reopened.Head.StateRoot);
        }

        // The same chain at the other worker count reaches the same roots.
        using var other = new TempDirectory("rollup-trees-fault-other");
        using var engine2 = ExecutionEngine.Open(other.Path, Options(3 - workers, (market, block) => market == faulty && block == faultBlock));
        var replay = new ChainFlowGenerator(13, Markets, Accounts);
        var otherRoots = new List<Hash256>();
        for (var i = 0; i < 9; i++)
        {
            var root = engine2.Execute(replay.Next(300)).StateRoot;
            if (i >= 5)
            {
                otherRoots.Add(root);
            }
        }
        Assert.Equal(roots, otherRoots);
    }

    [Fact]
    public void StateTree_Rebuild_SameRootAndProofsAsIncrementalUpdates()
    {
        var random = new Random(3);
        var incremental = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var live = new Dictionary<Hash256, Hash256>();
        for (var round = 0; round < 20; round++)
        {
            var updates = new Dictionary<Hash256, Hash256>();
            for (var i = 0; i < 50; i++)
            {
                var key = live.Count > 0 && random.Next(3) == 0 ? live.Keys.ElementAt(random.Next(live.Count)) : RandomHash(random);
                updates[key] = random.Next(4) == 0 ? Hash256.Zero : RandomHash(random);
            }
            incremental.Update(updates.Select(u => new MerkleUpdate(u.Key, u.Value)).ToArray());
            foreach (var (key, value) in updates)
            {
                if (value.IsZero)
                {
                    live.Remove(key);
                }
                else
                {
                    live[key] = value;
                }
            }
        }

        var rebuilt = new StateTree();
        rebuilt.Rebuild([.. live.Select(l => new MerkleUpdate(l.Key, l.Value))]);
        Assert.Equal(incremental.Root, rebuilt.Root);
        foreach (var key in live.Keys.Take(40).Append(RandomHash(random)))
        {
            Assert.Equal(incremental.GetProof(key).Siblings, rebuilt.Tree.GetProof(key).Siblings);
        }
        // Rebuilding again replaces the tree: nothing of the old one stays.
        rebuilt.Rebuild([]);
        Assert.Equal(Hash256.Zero, rebuilt.Root);
        Assert.Equal(0, rebuilt.NodeCount);
    }

    private static Hash256 RandomHash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    private static List<(Address, long, long)> PositionsOf(ExecutionEngine engine, uint market)
    {
        Assert.True(engine.TryGetMarket(market, out var m));
        var positions = new List<(Address, long, long)>();
        for (var n = 1; n <= Accounts; n++)
        {
            var account = ChainFlowGenerator.AddressOf(n);
            if (m.TryGetPosition(account, out var size, out var collateral))
            {
                positions.Add((account, size, collateral));
            }
        }
        return positions;
    }

    private sealed record Snapshot(Hash256 StateRoot, Hash256 AccountsRoot, Hash256 MarketsRoot, List<Hash256> MarketRoots,
        List<AccountProof> AccountProofs, List<PositionProof> PositionProofs)
    {
        public static Snapshot Of(ExecutionEngine engine)
        {
            var accounts = new List<AccountProof>();
            var positions = new List<PositionProof>();
            for (var n = 1; n <= Accounts; n++)
            {
                var account = ChainFlowGenerator.AddressOf(n);
                if (engine.ProveAccount(account) is { } proof)
                {
                    accounts.Add(proof);
                }
                foreach (var market in engine.Markets)
                {
                    if (engine.ProvePosition(market.Id, account) is { } position)
                    {
                        positions.Add(position);
                    }
                }
            }
            return new Snapshot(engine.Head.StateRoot, engine.AccountsRoot, engine.MarketsRoot,
                [.. engine.Markets.Select(m => engine.MarketRoot(m.Id))], accounts, positions);
        }

        public void AssertSame(Snapshot other)
        {
            Assert.Equal(StateRoot, other.StateRoot);
            Assert.Equal(StateTrees.StateRoot(AccountsRoot, MarketsRoot), StateRoot);
            Assert.Equal(AccountsRoot, other.AccountsRoot);
            Assert.Equal(MarketsRoot, other.MarketsRoot);
            Assert.Equal(MarketRoots, other.MarketRoots);
            Assert.Equal(AccountProofs.Count, other.AccountProofs.Count);
            for (var i = 0; i < AccountProofs.Count; i++)
            {
                Assert.Equal(AccountProofs[i].Record, other.AccountProofs[i].Record);
                Assert.Equal(AccountProofs[i].Path.Siblings, other.AccountProofs[i].Path.Siblings);
                Assert.Equal(AccountProofs[i].Path.LeafKey, other.AccountProofs[i].Path.LeafKey);
            }
            Assert.Equal(PositionProofs.Count, other.PositionProofs.Count);
            for (var i = 0; i < PositionProofs.Count; i++)
            {
                Assert.Equal(PositionProofs[i].Record, other.PositionProofs[i].Record);
                Assert.Equal(PositionProofs[i].PathInMarket.Siblings, other.PositionProofs[i].PathInMarket.Siblings);
                Assert.Equal(PositionProofs[i].MarketRootPath.Siblings, other.PositionProofs[i].MarketRootPath.Siblings);
            }
        }
    }
}
