using Rollup.Execution.Blocks;
using Rollup.Execution.State;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

public class BlockRecordTests
{
    [Fact]
    public void A_stored_block_keeps_the_roots_and_deposit_cursor_the_engine_had_after_it()
    {
        using var directory = new TempDirectory("rollup-block-record");
        using var engine = ExecutionEngine.Open(directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false });
        foreach (var block in DeterminismTests.Generate(seed: 21, count: 8))
        {
            var result = engine.Execute(block);
            var record = engine.GetBlock(block.Number)!;
            Assert.Equal(engine.Head.StateRoot, record.StateRoot);
            Assert.Equal(engine.AccountsRoot, record.AccountsRoot);
            Assert.Equal(engine.MarketsRoot, record.MarketsRoot);
            Assert.Equal(StateTrees.StateRoot(record.AccountsRoot, record.MarketsRoot), record.StateRoot);
            Assert.Equal(result.WithdrawalsRoot, record.WithdrawalsRoot);
            Assert.Equal(engine.Head.NextDepositIndex, record.NextDepositIndex);
            Assert.NotEmpty(record.MarketRoots);
            for (var i = 0; i < record.MarketRoots.Count; i++)
            {
                Assert.Equal(engine.MarketRoot(record.MarketRoots[i].Market), record.MarketRoots[i].Root);
                Assert.True(i == 0 || record.MarketRoots[i - 1].Market < record.MarketRoots[i].Market);
            }
            Assert.Equal(block.Transactions.Length, record.Receipts.Length);
        }
    }

}
