using Rollup.Execution.Blocks;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

public class DeterminismTests
{
    private const int Blocks = 40;

    [Fact]
    public void Execute_SameBlocks_SameRootsAndReceiptsAtAnyWorkerCount()
    {
        var blocks = Generate(seed: 11);
        var one = Run(blocks, workers: 1);
        var two = Run(blocks, workers: 2);
        var eight = Run(blocks, workers: 8);
        for (var i = 0; i < blocks.Count; i++)
        {
            Assert.Equal(one[i].StateRoot, two[i].StateRoot);
            Assert.Equal(one[i].StateRoot, eight[i].StateRoot);
            Assert.Equal(one[i].Receipts, two[i].Receipts);
            Assert.Equal(one[i].Events, eight[i].Events);
        }
        // The flow is not trivial: trades, liquidations, halts and rejections all happened.
        var events = one.SelectMany(r => r.Events).ToList();
        Assert.Contains(events, e => e.Kind == EventKind.Fill);
        Assert.Contains(events, e => e.Kind == EventKind.Liquidation || e.Kind == EventKind.InsuranceTakeover || e.Kind == EventKind.Deleverage);
        Assert.Contains(events, e => e.Kind == EventKind.Funding);
        Assert.Contains(events, e => e.Kind == EventKind.MarketHalted);
        Assert.True(one.SelectMany(r => r.Receipts).Count(r => !r.IsAccepted) > 100);
    }

    [Fact]
    public void Execute_RestartHalfway_SameRootsAsWithout()
    {
        var blocks = Generate(seed: 12);
        var continuous = Run(blocks, workers: 2);
        using var directory = new TempDirectory("rollup-restart");
        var options = new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false };
        var roots = new List<Hash256>();
        var engine = ExecutionEngine.Open(directory.Path, options);
        try
        {
            for (var i = 0; i < blocks.Count; i++)
            {
                if (i == blocks.Count / 2)
                {
                    engine.Dispose();
                    engine = ExecutionEngine.Open(directory.Path, options);
                    Assert.Equal(continuous[i - 1].StateRoot, engine.Head.StateRoot);
                }
                roots.Add(engine.Execute(blocks[i]).StateRoot);
            }
        }
        finally
        {
            engine.Dispose();
        }
        Assert.Equal(continuous.Select(r => r.StateRoot), roots);
    }

    [Fact]
    public void Execute_EveryBlock_CollateralConserved()
    {
        using var directory = new TempDirectory("rollup-conservation");
        using var engine = ExecutionEngine.Open(directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false });
        foreach (var block in Generate(seed: 13))
        {
            engine.Execute(block);
            Assert.Equal(engine.Head.TotalDeposits - engine.Head.TotalWithdrawals, engine.TotalCollateral());
            foreach (var market in engine.Markets)
            {
                Assert.Equal(market.NetTransfersIn, market.TotalCollateral);
            }
        }
    }

    internal static List<Block> Generate(int seed, int count = Blocks)
    {
        var generator = new ChainFlowGenerator(seed);
        var blocks = new List<Block>();
        for (var i = 0; i < count; i++)
        {
            blocks.Add(generator.Next());
        }
        return blocks;
    }

    internal static List<BlockResult> Run(IReadOnlyList<Block> blocks, int workers)
    {
        using var directory = new TempDirectory("rollup-determinism");
        using var engine = ExecutionEngine.Open(directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = workers, VerifySignatures = false });
        var results = new List<BlockResult>();
        foreach (var block in blocks)
        {
            results.Add(engine.Execute(block));
        }
        return results;
    }
}
