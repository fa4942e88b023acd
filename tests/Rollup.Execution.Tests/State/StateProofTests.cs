using Rollup.Execution.Blocks;
using Rollup.Execution.State.Proofs;
using Rollup.Testing;

namespace Rollup.Execution.Tests.State;

public class StateProofTests
{
    private static readonly EngineOptions Options = new() { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false };

    [Fact]
    public void Proofs_AccountsPositionsWithdrawals_VerifyAgainstRootsAndRefuseTampering()
    {
        using var directory = new TempDirectory("rollup-proofs");
        using var engine = ExecutionEngine.Open(directory.Path, Options);
        var generator = new ChainFlowGenerator(31, markets: 4, accounts: 30);
        var withdrawalBlocks = new List<BlockResult>();
        for (var i = 0; i < 12; i++)
        {
            var result = engine.Execute(generator.Next(200));
            if (result.Withdrawals.Count > 0)
            {
                withdrawalBlocks.Add(result);
            }
        }
        var root = engine.Head.StateRoot;
        var positionsProven = 0;
        for (var n = 1; n <= 30; n++)
        {
            var account = ChainFlowGenerator.AddressOf(n);
            var proof = engine.ProveAccount(account);
            Assert.NotNull(proof);
            Assert.True(StateProofVerifier.Verify(proof, root));
            Assert.True(engine.TryGetFreeBalance(account, out var free));
            Assert.Equal(free, proof.FreeBalance);
            var forged = proof with { Record = [.. proof.Record] };
            forged.Record[7] ^= 1;
            Assert.False(StateProofVerifier.Verify(forged, root));

            foreach (var market in engine.Markets)
            {
                if (engine.ProvePosition(market.Id, account) is not { } position)
                {
                    continue;
                }
                Assert.True(StateProofVerifier.Verify(position, root));
                market.TryGetPosition(account, out var size, out var collateral);
                Assert.Equal((size, collateral), position.Position);
                Assert.False(StateProofVerifier.Verify(position with { Market = market.Id + 100 }, root));
                positionsProven++;
            }
        }
        Assert.True(positionsProven > 10);

        Assert.NotEmpty(withdrawalBlocks);
        foreach (var block in withdrawalBlocks)
        {
            for (var i = 0; i < block.Withdrawals.Count; i++)
            {
                var proof = StateProofVerifier.ProveWithdrawal(block.Withdrawals, i);
                Assert.True(StateProofVerifier.Verify(proof, block.WithdrawalsRoot));
                Assert.False(StateProofVerifier.Verify(proof with { Withdrawal = proof.Withdrawal with { Amount = proof.Withdrawal.Amount + 1 } }, block.WithdrawalsRoot));
            }
        }
    }

    [Fact]
    public void StoredBlocks_ReplayedOnFreshNode_SameRootsAndReceipts()
    {
        using var first = new TempDirectory("rollup-origin");
        using var second = new TempDirectory("rollup-replica");
        using var origin = ExecutionEngine.Open(first.Path, Options);
        var generator = new ChainFlowGenerator(32, markets: 6, accounts: 50);
        var roots = new List<Primitives.Hash256>();
        for (var i = 0; i < 15; i++)
        {
            roots.Add(origin.Execute(generator.Next(300)).StateRoot);
        }

        using var replica = ExecutionEngine.Open(second.Path, Options);
        for (ulong number = 1; number <= 15; number++)
        {
            var stored = origin.GetBlock(number);
            Assert.NotNull(stored);
            var replayed = replica.Execute(stored.Block);
            Assert.Equal(stored.StateRoot, replayed.StateRoot);
            Assert.Equal(roots[(int)number - 1], replayed.StateRoot);
            Assert.Equal(stored.Receipts, replayed.Receipts);
        }
    }
}
