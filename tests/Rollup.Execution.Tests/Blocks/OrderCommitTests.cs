using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Tests.Blocks;

/// <summary>What a market's commit writes for its orders: nothing for an order that came and went within one block.</summary>
public class OrderCommitTests
{
    private static readonly Address Alice = EngineFixture.AddressOf(1);
    private static readonly Address Bob = EngineFixture.AddressOf(2);
    private const long Price = 60_000_000_000;
    private const long Tenth = 10_000_000;
    private const ulong Time = 1_700_000_000_000;

    [Fact]
    public void Commit_OrderPlacedAndFilledInOneBlock_NotWrittenCommittedOrderFilledIsDeleted()
    {
        var market = new Market(1, EngineFixture.DefaultParams());
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        Transaction[] first =
        [
            new() { Kind = TxKind.OracleUpdate, Account = EngineFixture.Oracle, Market = 1, Price = Price, Timestamp = Time },
            new() { Kind = TxKind.TransferMargin, Account = Alice, Market = 1, Amount = 10_000_000_000, ToMarket = true },
            new() { Kind = TxKind.TransferMargin, Account = Bob, Market = 1, Amount = 10_000_000_000, ToMarket = true },
            Order(Alice, isBuy: false, Tenth),  // 3: rests, then Bob's 4 fills it completely
            Order(Bob, isBuy: true, Tenth),
            Order(Alice, isBuy: false, Tenth),  // 5: rests until the block ends
        ];
        var receipts = Run(market, 1, first);
        Assert.All(receipts, r => Assert.True(r.IsAccepted, r.Status.ToString()));
        var cameAndWent = Market.OrderIdOf(1, 3);
        var resting = Market.OrderIdOf(1, 5);
        Assert.Equal(Tenth, receipts[4].FilledSize);
        Assert.False(market.DirtyOrders.ContainsKey(cameAndWent));
        Assert.True(market.DirtyOrders[resting]);

        var writes = new PendingWrites();
        market.PrepareCommit(writes, tree);
        Assert.Empty(market.DirtyOrders);

        // Block 2: the committed order is half filled, then the rest: its record must now be deleted.
        var second = Run(market, 2, [Order(Bob, isBuy: true, Tenth / 2), Order(Bob, isBuy: true, Tenth / 2)]);
        Assert.All(second, r => Assert.Equal(Tenth / 2, r.FilledSize));
        Assert.False(market.DirtyOrders[resting]);
        Assert.Equal(0, market.RestingOrderCount);
    }

    private static Transaction Order(in Address account, bool isBuy, long size) => new()
    {
        Kind = TxKind.PlaceOrder, Account = account, Market = 1, IsBuy = isBuy, Price = Price, Size = (ulong)size,
        TimeInForce = TimeInForce.Gtc, OrderKind = OrderKind.Limit,
    };

    private static Receipt[] Run(Market market, ulong block, Transaction[] transactions)
    {
        var receipts = new Receipt[transactions.Length];
        var routed = transactions.Select((tx, i) => new MarketTx(i, tx)).ToArray();
        for (var i = 0; i < receipts.Length; i++)
        {
            receipts[i] = new Receipt(i, TxStatus.Accepted);
        }
        market.ExecuteBlock(routed, new MarketBlockContext(block, Time + (block * 100), receipts));
        return receipts;
    }
}
