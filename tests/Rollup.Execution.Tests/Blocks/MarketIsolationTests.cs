using FsCheck;
using FsCheck.Fluent;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Blocks;

public class MarketIsolationTests
{
    private static readonly Address Alice = EngineFixture.AddressOf(1);
    private static readonly Address Bob = EngineFixture.AddressOf(2);
    private static readonly Address Carol = EngineFixture.AddressOf(3);
    private static readonly Address Dave = EngineFixture.AddressOf(4);
    private const long Price = 60_000_000_000;
    private const long OneBtc = 100_000_000;

    [Fact]
    public void Execute_TransactionsOfOneMarket_OtherMarketRootsUnchanged()
    {
        // Two engines share a history; then one runs a block of market A's transactions, the other an
        // empty block. Every other market must end with the same root in both.
        var property = Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var history = DeterminismTests.Generate(seed, count: 6);
            var generator = new ChainFlowGenerator(seed);
            for (var i = 0; i < 6; i++)
            {
                generator.Next();
            }
            var candidate = generator.Next(600);
            var market = candidate.Transactions.First(t => t.Kind == TxKind.PlaceOrder).Market;
            var onlyA = candidate with { Transactions = candidate.Transactions.Where(t => t.Market == market && t.Kind is not (TxKind.Deposit or TxKind.Withdraw)).ToArray() };
            var empty = candidate with { Transactions = [] };

            var withA = RunThen(history, onlyA);
            var without = RunThen(history, empty);
            return withA.Roots.All(r => r.Key == market || without.Roots[r.Key] == r.Value);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(8), property);
    }

    [Fact]
    public void Insolvency_InOneMarket_FundAndDeleveragingStayInsideIt()
    {
        using var f = new EngineFixture();
        f.CreateMarket(1).CreateMarket(2, EngineFixture.DefaultParams("ETH-PERP"))
            .Deposit(Alice, 20_000_000_000).Deposit(Bob, 100_000_000_000).Deposit(Carol, 50_000_000_000).Deposit(Dave, 50_000_000_000).Block();
        f.OraclePrice(1, Price).OraclePrice(2, Price)
            .MarginIn(Alice, 1, 7_000_000_000).MarginIn(Bob, 1, 90_000_000_000)
            .MarginIn(Carol, 2, 40_000_000_000).MarginIn(Dave, 2, 40_000_000_000).Block();
        // Alice goes long 1 BTC on 7k margin (about 8.6x); Bob is short. Market 2 trades too.
        f.Order(Bob, 1, false, Price, OneBtc).Order(Alice, 1, true, Price, OneBtc)
            .Order(Carol, 2, false, Price, OneBtc / 2).Order(Dave, 2, true, Price, OneBtc / 2).Block();
        Assert.True(f.Engine.TryGetMarket(2, out var other));
        other.TryGetPosition(Carol, out var carolSize, out var carolCollateral);
        other.TryGetPosition(Dave, out var daveSize, out var daveCollateral);
        var otherRoot = f.Engine.MarketRoot(2);

        // The price falls 12%: Alice's equity is negative, the book is empty, the fund holds nothing.
        f.Time += 1_000;
        var result = f.OraclePrice(1, Price / 100 * 88).Block();
        Assert.Contains(result.Events, e => e.Kind == EventKind.Deleverage && e.Market == 1 && e.Account == Alice && e.Counterparty == Bob);
        Assert.DoesNotContain(result.Events, e => e.Market == 2);

        Assert.True(f.Engine.TryGetMarket(1, out var market));
        market.TryGetPosition(Alice, out var aliceSize, out var aliceCollateral);
        market.TryGetPosition(Bob, out var bobSize, out _);
        Assert.Equal(0, aliceSize);
        Assert.Equal(0, bobSize);
        Assert.True(aliceCollateral >= 0);
        Assert.Equal(market.NetTransfersIn, market.TotalCollateral);

        Assert.Equal(otherRoot, f.Engine.MarketRoot(2));
        other.TryGetPosition(Carol, out var carolSizeAfter, out var carolCollateralAfter);
        other.TryGetPosition(Dave, out var daveSizeAfter, out var daveCollateralAfter);
        Assert.Equal((carolSize, carolCollateral, daveSize, daveCollateral), (carolSizeAfter, carolCollateralAfter, daveSizeAfter, daveCollateralAfter));
    }

    [Fact]
    public void Liquidation_BookHasBids_ClosedIntoBookFeeToFund()
    {
        using var f = new EngineFixture();
        f.CreateMarket(1).Deposit(Alice, 20_000_000_000).Deposit(Bob, 200_000_000_000).Deposit(Carol, 200_000_000_000).Block();
        f.OraclePrice(1, Price).MarginIn(Alice, 1, 6_100_000_000).MarginIn(Bob, 1, 150_000_000_000).MarginIn(Carol, 1, 150_000_000_000).Block();
        f.Order(Bob, 1, false, Price, OneBtc).Order(Alice, 1, true, Price, OneBtc).Block();
        // Carol bids 3% below: where Alice's position can be sold above its bankruptcy price.
        f.Order(Carol, 1, true, Price / 100 * 97, OneBtc).Block();

        // Equity at 56,520: 6,100 - 60,000 - 30 fee + 56,520 = 2,590 < 5% of 56,520; bankruptcy at 53,930.
        f.Time += 1_000;
        var result = f.OraclePrice(1, Price / 1000 * 942).Block();
        var liquidation = Assert.Single(result.Events, e => e.Kind == EventKind.Liquidation);
        Assert.Equal(Alice, liquidation.Account);
        Assert.Equal(OneBtc, liquidation.Size);
        Assert.Contains(result.Events, e => e.Kind == EventKind.Fill && e.Account == Alice && e.Counterparty == Carol);
        Assert.True(f.Engine.TryGetMarket(1, out var market));
        Assert.True(market.InsuranceFund > 0);
        market.TryGetPosition(Alice, out var aliceSize, out _);
        Assert.Equal(0, aliceSize);
    }

    [Fact]
    public void Fault_InjectedIntoOneMarket_ItHaltsAndRollsBackOthersGoOn()
    {
        var faultBlock = 3UL;
        using var f = new EngineFixture(options: o => o with { InjectFault = (market, block) => market == 1 && block == faultBlock });
        f.CreateMarket(1).CreateMarket(2, EngineFixture.DefaultParams("ETH-PERP")).Deposit(Alice, 100_000_000_000).Deposit(Bob, 100_000_000_000).Block();
        f.OraclePrice(1, Price).OraclePrice(2, Price).MarginIn(Alice, 2, 10_000_000_000).MarginIn(Bob, 2, 10_000_000_000).Block();
        var rootOfFaultyBefore = f.Engine.MarketRoot(1);

        var result = f.MarginIn(Alice, 1, 5_000_000_000).Order(Alice, 2, false, Price, OneBtc / 10).Order(Bob, 2, true, Price, OneBtc / 10).Block();
        Assert.Equal([1u], result.FaultedMarkets);
        Assert.Equal(TxStatus.MarketFault, result.Receipts[0].Status);
        Assert.Equal(TxStatus.Accepted, result.Receipts[2].Status);
        Assert.Contains(result.Events, e => e.Kind == EventKind.Fill && e.Market == 2);

        // The margin moved in was handed back; the market kept its old state but now halts.
        Assert.True(f.Engine.TryGetFreeBalance(Alice, out var free));
        Assert.Equal(90_000_000_000, free);
        Assert.True(f.Engine.TryGetMarket(1, out var faulty));
        Assert.Equal(HaltReason.Fault, faulty.HaltReason);
        Assert.False(faulty.TryGetPosition(Alice, out _, out _));
        Assert.NotEqual(rootOfFaultyBefore, f.Engine.MarketRoot(1));

        var next = f.MarginIn(Alice, 1, 1_000_000_000).Block();
        Assert.Equal(TxStatus.Accepted, next.Receipts[0].Status);
    }

    [Fact]
    public void CircuitBreaker_MarkJumpsBeyondLimit_MarketHaltsUntilResumed()
    {
        using var f = new EngineFixture();
        f.CreateMarket(1).Deposit(Alice, 100_000_000_000).Block();
        f.OraclePrice(1, Price).MarginIn(Alice, 1, 50_000_000_000).Block();
        f.Time += 1_000;
        var result = f.OraclePrice(1, Price / 100 * 135).Block();
        Assert.Contains(result.Events, e => e.Kind == EventKind.MarketHalted && e.Amount == (long)HaltReason.MarkMove);
        var rejected = f.Order(Alice, 1, true, Price / 100 * 135, OneBtc / 10).Block();
        Assert.Equal(TxStatus.MarketHalted, rejected.Receipts[0].Status);
        var resumed = f.Resume(1).Order(Alice, 1, true, Price / 100 * 135, OneBtc / 10).Block();
        Assert.Equal(TxStatus.Accepted, resumed.Receipts[1].Status);
    }

    private static (Dictionary<uint, Hash256> Roots, Hash256 StateRoot) RunThen(IReadOnlyList<Block> history, Block last)
    {
        using var directory = new TempDirectory("rollup-isolation");
        using var engine = ExecutionEngine.Open(directory.Path, new EngineOptions { Operators = ChainFlowGenerator.Operators, Workers = 2, VerifySignatures = false });
        foreach (var block in history)
        {
            engine.Execute(block);
        }
        engine.Execute(last);
        return (engine.Markets.ToDictionary(m => m.Id, m => engine.MarketRoot(m.Id)), engine.Head.StateRoot);
    }
}
