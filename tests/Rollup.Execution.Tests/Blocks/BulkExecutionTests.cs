using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>A Bulk in the engine: items in list order inside its market, each with its own result, none undoing another.</summary>
public class BulkExecutionTests
{
    private static readonly Address Alice = EngineFixture.AddressOf(1);
    private static readonly Address Bob = EngineFixture.AddressOf(2);
    private const uint Btc = 1;
    private const long Price = 60_000_000_000;
    private const long Tick = 1_000_000;
    private const long Tenth = 10_000_000;

    private static EngineFixture TradingMarket()
    {
        var f = new EngineFixture();
        f.CreateMarket(Btc).Deposit(Alice, 100_000_000_000).Deposit(Bob, 100_000_000_000).Block();
        f.OraclePrice(Btc, Price).MarginIn(Alice, Btc, 50_000_000_000).MarginIn(Bob, Btc, 50_000_000_000).Block();
        return f;
    }

    private static BulkItem Place(bool isBuy, long price, long size, TimeInForce tif = TimeInForce.Gtc, ulong clientOrderId = 0, OrderKind kind = OrderKind.Limit) => new()
    {
        Action = BulkAction.Place, IsBuy = isBuy, Price = (ulong)price, Size = (ulong)size, TimeInForce = tif, OrderKind = kind, ClientOrderId = clientOrderId,
    };

    private static Transaction Bulk(in Address account, uint market, params BulkItem[] items) =>
        new() { Kind = TxKind.Bulk, Account = account, Market = market, Items = new ValueArray<BulkItem>(items) };

    [Fact]
    public void Bulk_ItemsRunInListOrder_EachWithItsOwnResult_ARejectedItemUndoesNothing()
    {
        using var f = TradingMarket();
        f.Order(Bob, Btc, isBuy: false, Price + Tick, Tenth).Block();
        var bulk = Bulk(Alice, Btc,
            Place(true, Price + Tick, Tenth, TimeInForce.PostOnly),            // would take Bob's ask: refused
            Place(false, Price + (3 * Tick), Tenth, clientOrderId: 7),          // rests
            new BulkItem { Action = BulkAction.Cancel, OrderId = 424242 },      // no such order
            Place(true, Price + Tick, Tenth, TimeInForce.Ioc),                  // takes Bob's ask
            new BulkItem { Action = BulkAction.CancelByClientId, ClientOrderId = 7 }, // cancels item 1's order
            Place(true, Price, Tenth * 10_000));                                // far beyond Alice's margin: refused
        var result = f.Add(f.Signed(bulk)).Block();

        var receipt = result.Receipts[0];
        Assert.Equal(TxStatus.Accepted, receipt.Status);
        var items = receipt.Items!;
        Assert.Equal(
            [TxStatus.PostOnlyWouldCross, TxStatus.Accepted, TxStatus.OrderNotFound, TxStatus.Accepted, TxStatus.Accepted, TxStatus.InsufficientMargin],
            items.Select(i => i.Status));
        var block = result.Number;
        Assert.Equal(Market.OrderIdOf(block, 1), items[1].OrderId); // the bulk's slots are 0 to 5: one per item
        Assert.Equal(Tenth, items[1].RestingSize);
        Assert.Equal(Market.OrderIdOf(block, 3), items[3].OrderId);
        Assert.Equal(Tenth, items[3].FilledSize);

        // What the accepted items did stays done; what the refused ones would have done did not happen.
        Assert.True(f.Engine.TryGetMarket(Btc, out var market));
        Assert.True(market.TryGetPosition(Alice, out var aliceSize, out _));
        Assert.Equal(Tenth, aliceSize);
        Assert.Empty(market.Orders(Alice));
        Assert.Empty(market.Orders(Bob));
    }

    [Fact]
    public void Bulk_OfPlaces_EndsWhereTheSameOrdersOneByOneEnd()
    {
        using var single = TradingMarket();
        using var bulk = TradingMarket();
        var random = new Random(5);
        var orders = new List<BulkItem>();
        for (var i = 0; i < 16; i++)
        {
            var isBuy = random.Next(2) == 0;
            var price = Price + ((isBuy ? -1 : 1) * random.Next(0, 4) * Tick) + (random.Next(3) == 0 ? (isBuy ? 2 : -2) * Tick : 0);
            orders.Add(Place(isBuy, price, Tenth * random.Next(1, 4), (TimeInForce)random.Next(3), clientOrderId: (ulong)(i + 1)));
        }
        foreach (var order in orders)
        {
            single.Order(Alice, Btc, order.IsBuy, (long)order.Price, (long)order.Size, order.TimeInForce, clientOrderId: order.ClientOrderId);
        }
        single.Block();
        var result = bulk.Add(bulk.Signed(Bulk(Alice, Btc, [.. orders]))).Block();
        Assert.Equal(16, result.Receipts[0].Items!.Count);

        Assert.True(single.Engine.TryGetMarket(Btc, out var one));
        Assert.True(bulk.Engine.TryGetMarket(Btc, out var many));
        Assert.Equal(one.FeePool, many.FeePool);
        Assert.Equal(one.RestingOrderCount, many.RestingOrderCount);
        one.TryGetPosition(Alice, out var sizeOne, out var collateralOne);
        many.TryGetPosition(Alice, out var sizeMany, out var collateralMany);
        Assert.Equal((sizeOne, collateralOne), (sizeMany, collateralMany));
        Assert.Equal(
            one.Orders(Alice).Select(o => (o.Price, o.RemainingSize, o.ClientOrderId)),
            many.Orders(Alice).Select(o => (o.Price, o.RemainingSize, o.ClientOrderId)));
    }

    [Fact]
    public void CancelReplace_MovesTheOrder_AndWhenTheCancelFailsPlacesNothing()
    {
        using var f = TradingMarket();
        var first = f.Add(f.Signed(Bulk(Alice, Btc, Place(false, Price + (2 * Tick), Tenth, clientOrderId: 1)))).Block();
        var orderId = first.Receipts[0].Items![0].OrderId;

        var second = f.Add(f.Signed(Bulk(Alice, Btc,
            new BulkItem { Action = BulkAction.CancelReplace, OrderId = orderId, Price = (ulong)(Price + (3 * Tick)), Size = Tenth * 2, ClientOrderId = 1 },
            new BulkItem { Action = BulkAction.CancelReplace, OrderId = orderId, Price = (ulong)(Price + (4 * Tick)), Size = Tenth, ClientOrderId = 2 }))).Block();
        var items = second.Receipts[0].Items!;
        Assert.Equal(TxStatus.Accepted, items[0].Status);
        Assert.Equal(Tenth * 2, items[0].RestingSize);
        Assert.Equal(TxStatus.OrderNotFound, items[1].Status); // its order was replaced by item 0

        Assert.True(f.Engine.TryGetMarket(Btc, out var market));
        var resting = Assert.Single(market.Orders(Alice));
        Assert.Equal((Price + (3 * Tick), Tenth * 2, 1UL, Market.OrderIdOf(second.Number, 0)), (resting.Price, resting.RemainingSize, resting.ClientOrderId, resting.OrderId));
    }

    [Fact]
    public void OrderIds_ABulkTakesASlotPerItem_ABlockWithoutOneKeepsIdEqualIndex()
    {
        using var f = TradingMarket();
        var result = f.Add(f.Signed(Bulk(Alice, Btc, Place(false, Price + Tick, Tenth), Place(false, Price + (2 * Tick), Tenth), Place(false, Price + (3 * Tick), Tenth))))
            .Order(Bob, Btc, false, Price + (4 * Tick), Tenth)
            .Block();
        Assert.Equal([0, 1, 2], result.Receipts[0].Items!.Select(i => (int)(i.OrderId - Market.OrderIdOf(result.Number, 0))));
        Assert.Equal(Market.OrderIdOf(result.Number, 3), result.Receipts[1].OrderId); // index 1, slot 3

        var plain = f.Order(Bob, Btc, false, Price + (5 * Tick), Tenth).Order(Bob, Btc, false, Price + (6 * Tick), Tenth).Block();
        Assert.Equal(Market.OrderIdOf(plain.Number, 1), plain.Receipts[1].OrderId);
        Assert.Null(OrderSlots.Of(new Transaction[] { new() { Kind = TxKind.PlaceOrder }, new() { Kind = TxKind.Withdraw } }));
    }

    [Fact]
    public void Bulk_WhoseSlotsPassTheBlocksLast_IsRefusedWhole_ABulkThatFitsIsNot()
    {
        foreach (var (items, expected) in new[] { (3, TxStatus.TooManyOrdersInBlock), (2, TxStatus.Accepted) })
        {
            var market = new Market(Btc, EngineFixture.DefaultParams());
            Transaction[] setup =
            [
                new() { Kind = TxKind.OracleUpdate, Account = EngineFixture.Oracle, Market = Btc, Price = Price, Timestamp = 1_700_000_000_000 },
                new() { Kind = TxKind.TransferMargin, Account = Alice, Market = Btc, Amount = 10_000_000_000, ToMarket = true },
            ];
            Run(market, 1, setup, slots: null);
            var bulk = Bulk(Alice, Btc, [.. Enumerable.Range(1, items).Select(i => Place(false, Price + (i * Tick), Tenth))]);
            var receipt = Run(market, 2, [bulk], slots: [Market.MaxOrderSlots - 2])[0];
            Assert.Equal(expected, receipt.Status);
            Assert.Equal(expected == TxStatus.Accepted ? items : 0, market.RestingOrderCount);
        }
    }

    private static Receipt[] Run(Market market, ulong block, Transaction[] transactions, int[]? slots)
    {
        var receipts = transactions.Select((_, i) => new Receipt(i, TxStatus.Accepted)).ToArray();
        var context = new MarketBlockContext(block, 1_700_000_000_000 + (block * 100), receipts) { OrderSlots = slots };
        market.ExecuteBlock(transactions.Select((tx, i) => new MarketTx(i, tx)).ToArray(), context);
        return receipts;
    }

    [Fact]
    public void Bulk_InAnUnknownMarket_IsRefusedWhole_SpendingOnlyItsNonce()
    {
        using var f = TradingMarket();
        var result = f.Add(f.Signed(Bulk(Alice, 99, Place(true, Price, Tenth)))).Block();
        Assert.Equal(TxStatus.UnknownMarket, result.Receipts[0].Status);
        Assert.Null(result.Receipts[0].Items);
    }

    [Fact]
    public void Bulk_ReceiptsAndOrders_SurviveTheBlockRecordAndARestart()
    {
        using var f = TradingMarket();
        var result = f.Add(f.Signed(Bulk(Alice, Btc, Place(false, Price + Tick, Tenth, clientOrderId: 3), new BulkItem { Action = BulkAction.Cancel, OrderId = 1 })))
            .Order(Bob, Btc, true, Price + Tick, Tenth / 2)
            .Block();
        var record = f.Engine.GetBlock(result.Number)!;
        Assert.Equal(result.Receipts, record.Receipts);
        Assert.Equal(2, record.Receipts[0].Items!.Count);
        Assert.Null(record.Receipts[1].Items);

        var root = f.Engine.Head.StateRoot;
        f.Reopen();
        Assert.Equal(root, f.Engine.Head.StateRoot);
        Assert.True(f.Engine.TryGetMarket(Btc, out var market));
        Assert.True(market.TryGetOrderByClientId(Alice, 3, out var order));
        Assert.Equal(Tenth / 2, order.RemainingSize);
    }
}
