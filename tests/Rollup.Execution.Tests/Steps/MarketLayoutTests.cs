using Rollup.Execution.Blocks;
using Rollup.Execution.Steps.Markets;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Steps;

/// <summary>
/// The provable layout the engine keeps block by block (<see cref="MarketLayout"/>) against the layout built whole
/// from the market as it stands (<see cref="MarketDomainTrees.Of"/>): equal after every block of flows that trade,
/// cancel, fund, liquidate and deleverage, after a market fault, and after a restart.
/// </summary>
public sealed class MarketLayoutTests
{
    private static readonly EngineOptions Options = new() { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false, KeepProvableLayout = true };

    [Theory]
    [InlineData(11, 6, 120, 40)]
    [InlineData(61, 3, 40, 25)]
    public void EveryBlock_IncrementalLayout_EqualsTheLayoutBuiltWhole(int seed, int markets, int accounts, int blocks)
    {
        using var directory = new TempDirectory("rollup-layout");
        using var engine = ExecutionEngine.Open(directory.Path, Options);
        var generator = new ChainFlowGenerator(seed, markets, accounts);
        for (var b = 0; b < blocks; b++)
        {
            engine.Execute(generator.Next(300));
            AssertLayoutsWhole(engine);
        }
        Assert.Equal(markets, engine.Markets.Count());
    }

    [Fact]
    public void FaultAndRestart_LayoutStillEqualsTheLayoutBuiltWhole()
    {
        using var directory = new TempDirectory("rollup-layout-restart");
        var generator = new ChainFlowGenerator(62, markets: 3, accounts: 40);
        var options = Options with { InjectFault = (market, block) => market == 2 && block == 6 };
        Execution.Steps.Markets.MarketDomainRoots[] before;
        using (var engine = ExecutionEngine.Open(directory.Path, options))
        {
            for (var b = 0; b < 12; b++)
            {
                var result = engine.Execute(generator.Next(200));
                AssertLayoutsWhole(engine);
                Assert.Equal(b == 5, result.FaultedMarkets.Contains(2u));
            }
            before = engine.Markets.Select(m => m.Layout!.Roots).ToArray();
        }
        using var reopened = ExecutionEngine.Open(directory.Path, Options);
        Assert.Equal(before, reopened.Markets.Select(m => m.Layout!.Roots).ToArray());
        reopened.Execute(generator.Next(200));
        AssertLayoutsWhole(reopened);
    }

    private static void AssertLayoutsWhole(ExecutionEngine engine)
    {
        foreach (var market in engine.Markets)
        {
            Assert.True(MarketDomainTrees.Of(market).Roots == market.Layout!.Roots, $"market {market.Id} after block {engine.Head.BlockNumber}: the kept layout is not the market's");
        }
    }
}
