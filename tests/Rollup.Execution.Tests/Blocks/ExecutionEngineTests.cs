using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Tests.Blocks;

public class ExecutionEngineTests
{
    private static readonly Address Alice = EngineFixture.AddressOf(1);
    private static readonly Address Bob = EngineFixture.AddressOf(2);
    private const uint Btc = 1;
    private const long Price = 60_000_000_000; // $60,000 in 6-decimal units per whole contract
    private const long OneBtc = 100_000_000;

    private static EngineFixture TradingMarket()
    {
        var f = new EngineFixture();
        f.CreateMarket(Btc).Deposit(Alice, 100_000_000_000).Deposit(Bob, 100_000_000_000).Block();
        f.OraclePrice(Btc, Price).MarginIn(Alice, Btc, 50_000_000_000).MarginIn(Bob, Btc, 50_000_000_000).Block();
        return f;
    }

    [Fact]
    public void Deposit_InOrder_CreditsFreeBalance()
    {
        using var f = new EngineFixture();
        var result = f.Deposit(Alice, 500).Deposit(Bob, 700).Block();
        Assert.All(result.Receipts, r => Assert.Equal(TxStatus.Accepted, r.Status));
        Assert.True(f.Engine.TryGetFreeBalance(Alice, out var alice));
        Assert.Equal(500, alice);
        Assert.Equal(1200, f.Engine.Head.TotalDeposits);
        Assert.NotEqual(Hash256.Zero, result.StateRoot);
    }

    [Fact]
    public void Deposit_SkippedIndex_RejectedAndNothingCredited()
    {
        using var f = new EngineFixture();
        var result = f.Add(new Transaction { Kind = TxKind.Deposit, Account = Alice, Amount = 5, DepositIndex = 1 }).Block();
        Assert.Equal(TxStatus.DepositOutOfOrder, result.Receipts[0].Status);
        Assert.False(f.Engine.TryGetFreeBalance(Alice, out _));
        Assert.Equal(0UL, f.Engine.Head.NextDepositIndex);
    }

    [Fact]
    public void Trade_CrossingOrders_PositionsMirrorAndFeesStayInMarket()
    {
        using var f = TradingMarket();
        var result = f.Order(Alice, Btc, isBuy: false, Price, OneBtc / 10).Order(Bob, Btc, isBuy: true, Price, OneBtc / 10).Block();
        Assert.All(result.Receipts, r => Assert.Equal(TxStatus.Accepted, r.Status));
        Assert.Equal(OneBtc / 10, result.Receipts[1].FilledSize);

        Assert.True(f.Engine.TryGetMarket(Btc, out var market));
        market.TryGetPosition(Alice, out var aliceSize, out var aliceCollateral);
        market.TryGetPosition(Bob, out var bobSize, out var bobCollateral);
        Assert.Equal(-OneBtc / 10, aliceSize);
        Assert.Equal(OneBtc / 10, bobSize);
        // Notional 6,000 USDC; maker fee 0.01% = 0.6 USDC, taker fee 0.05% = 3 USDC.
        Assert.Equal(50_000_000_000 + 6_000_000_000 - 600_000, aliceCollateral);
        Assert.Equal(50_000_000_000 - 6_000_000_000 - 3_000_000, bobCollateral);
        Assert.Equal(3_600_000, market.FeePool);
        Assert.Equal(100_000_000_000, market.TotalCollateral);
    }

    [Fact]
    public void PlaceOrder_BadInputs_EachRejectedWithItsReason()
    {
        using var f = TradingMarket();
        f.Order(Alice, 99, true, Price, OneBtc / 10)                           // unknown market
            .Order(Alice, Btc, true, Price + 1, OneBtc / 10)                   // not a tick multiple
            .Order(Alice, Btc, true, Price, (OneBtc / 10) + 1)                 // not a lot multiple
            .Order(Alice, Btc, true, Price * 2, OneBtc / 10)                   // outside the 10% band
            .Order(Alice, Btc, true, Price, OneBtc * 100)                      // 6M notional on 50k margin
            .Order(Alice, Btc, true, Price, long.MaxValue / 1000 * 1000)       // price x size overflows
            .Order(EngineFixture.AddressOf(77), Btc, true, Price, OneBtc / 10) // no margin in the market
            .Order(Alice, Btc, true, 0, OneBtc / 10);                          // zero price
        var receipts = f.Block().Receipts;
        Assert.Equal(
            [TxStatus.UnknownMarket, TxStatus.TickViolation, TxStatus.LotViolation, TxStatus.PriceOutOfBand,
             TxStatus.InsufficientMargin, TxStatus.Overflow, TxStatus.InsufficientMargin, TxStatus.InvalidOrder],
            receipts.Select(r => r.Status));
        Assert.True(f.Engine.TryGetMarket(Btc, out var market));
        Assert.Equal(0, market.RestingOrderCount);
    }

    [Fact]
    public void PlaceOrder_PausedMarket_RejectedUntilResumed()
    {
        using var f = TradingMarket();
        f.Pause(Btc).Order(Alice, Btc, true, Price, OneBtc / 10);
        Assert.Equal(TxStatus.MarketPaused, f.Block().Receipts[1].Status);
        f.Resume(Btc).Order(Alice, Btc, true, Price, OneBtc / 10);
        Assert.Equal(TxStatus.Accepted, f.Block().Receipts[1].Status);
    }

    [Fact]
    public void MarketAdmin_NotOperator_Rejected()
    {
        using var f = new EngineFixture();
        f.Add(f.Signed(new Transaction { Kind = TxKind.CreateMarket, Account = Alice, Market = 5, Params = EngineFixture.DefaultParams() }));
        Assert.Equal(TxStatus.NotOperator, f.Block().Receipts[0].Status);
        Assert.False(f.Engine.TryGetMarket(5, out _));
    }

    [Fact]
    public void Cancel_OwnOrder_RemovedOthersOrderNotFound()
    {
        using var f = TradingMarket();
        var placed = f.Order(Alice, Btc, true, Price - 100, OneBtc / 10, clientOrderId: 7).Block().Receipts[0];
        f.Cancel(Bob, Btc, placed.OrderId).CancelByClientId(Alice, Btc, 7).Cancel(Alice, Btc, placed.OrderId);
        var receipts = f.Block().Receipts;
        Assert.Equal([TxStatus.OrderNotFound, TxStatus.Accepted, TxStatus.OrderNotFound], receipts.Select(r => r.Status));
        Assert.True(f.Engine.TryGetMarket(Btc, out var market));
        Assert.Equal(0, market.RestingOrderCount);
    }

    [Fact]
    public void Withdraw_MoreThanFree_RejectedThenExactAccepted()
    {
        using var f = new EngineFixture();
        f.Deposit(Alice, 1_000).Block();
        var result = f.Withdraw(Alice, 1_001).Withdraw(Alice, 1_000).Block();
        Assert.Equal([TxStatus.InsufficientBalance, TxStatus.Accepted], result.Receipts.Select(r => r.Status));
        Assert.Single(result.Withdrawals);
        Assert.NotEqual(Hash256.Zero, result.WithdrawalsRoot);
        Assert.Equal(1_000, f.Engine.Head.TotalWithdrawals);
    }

    [Fact]
    public void MarginOut_BeyondRequirement_RejectedWithinAccepted()
    {
        using var f = TradingMarket();
        f.Order(Alice, Btc, false, Price, OneBtc / 2).Order(Bob, Btc, true, Price, OneBtc / 2).Block();
        // Bob is long 0.5 BTC (30k notional): initial margin 3k, equity ~50k.
        var result = f.MarginOut(Bob, Btc, 48_000_000_000).MarginOut(Bob, Btc, 40_000_000_000).Block();
        Assert.Equal([TxStatus.InsufficientMargin, TxStatus.Accepted], result.Receipts.Select(r => r.Status));
        Assert.True(f.Engine.TryGetFreeBalance(Bob, out var free));
        Assert.Equal(90_000_000_000, free);
    }

    [Fact]
    public void Reopen_AfterBlocks_SameRootsAndBookAndContinuesIdentically()
    {
        using var restarted = TradingMarket();
        using var continuous = TradingMarket();
        foreach (var f in new[] { restarted, continuous })
        {
            f.Order(Alice, Btc, false, Price + 1_000_000, OneBtc / 10, clientOrderId: 1).Order(Bob, Btc, true, Price - 1_000_000, OneBtc / 10).Block();
        }
        var rootBefore = restarted.Engine.Head.StateRoot;
        restarted.Reopen();
        Assert.Equal(rootBefore, restarted.Engine.Head.StateRoot);
        Assert.Equal(continuous.Engine.Head.StateRoot, restarted.Engine.Head.StateRoot);
        Assert.True(restarted.Engine.TryGetMarket(Btc, out var market));
        Assert.Equal(2, market.RestingOrderCount);

        foreach (var f in new[] { restarted, continuous })
        {
            f.Time = 1_800_000_000_000;
            f.OraclePrice(Btc, Price + 1_000_000).Order(Bob, Btc, true, Price + 1_000_000, OneBtc / 5).CancelByClientId(Alice, Btc, 1).Block();
        }
        Assert.Equal(continuous.Engine.Head.StateRoot, restarted.Engine.Head.StateRoot);
    }

    /// <summary>
    /// A position that holds nothing any more is not stored, so after a restart it is gone: a market must already
    /// treat it as none, or the same transaction gets another receipt on a node that restarted in between.
    /// </summary>
    [Fact]
    public void EmptiedPosition_RestartOrNot_SameReceipts()
    {
        using var restarted = TradingMarket();
        using var continuous = TradingMarket();
        foreach (var f in new[] { restarted, continuous })
        {
            f.MarginOut(Alice, Btc, 50_000_000_000).Block();
        }
        restarted.Reopen();
        var receipts = new List<TxStatus[]>();
        foreach (var f in new[] { restarted, continuous })
        {
            var result = f.Order(Alice, Btc, false, Price, OneBtc / 10, reduceOnly: true).MarginOut(Alice, Btc, 0).Block();
            receipts.Add(result.Receipts.Select(r => r.Status).ToArray());
            Assert.Equal(TxStatus.InsufficientMargin, result.Receipts[0].Status);
        }
        Assert.Equal(receipts[0], receipts[1]);
        Assert.Equal(continuous.Engine.Head.StateRoot, restarted.Engine.Head.StateRoot);
    }
}
