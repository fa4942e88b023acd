using Rollup.Execution.Markets;
using Rollup.Execution.Tests.Blocks;

namespace Rollup.Execution.Tests.Markets;

public class MarketParamsRulesTests
{
    [Theory]
    [InlineData(0u, false)]
    [InlineData(1u, true)]
    [InlineData(256u, true)]
    [InlineData(257u, false)] // a position's leaf lists its orders (docs/steps.md): 256 at most
    [InlineData(uint.MaxValue, false)]
    public void OpenOrdersPerAccount_BoundedForTheProvableLeaf(uint maxOpenOrders, bool valid) =>
        Assert.Equal(valid, MarketParamsRules.AreValid(EngineFixture.DefaultParams() with { MaxOpenOrdersPerAccount = maxOpenOrders }));
}
