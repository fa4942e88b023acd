using Rollup.Bridge.Batches;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Batches;

/// <summary>
/// Batches of every transaction kind with values drawn across the whole range of each field (extremes
/// included), so deltas wrap and varints reach ten bytes: what a realistic flow never shows.
/// </summary>
internal static class RandomBatches
{
    public static L2Batch Create(int seed, int maxBlocks = 6, int maxTransactions = 40)
    {
        var random = new Random(seed);
        var accounts = new Address[random.Next(1, 8)];
        for (var i = 0; i < accounts.Length; i++)
        {
            accounts[i] = new Address(RandomBytes(random, Address.Length));
        }
        var blocks = new Block[random.Next(1, maxBlocks + 1)];
        var number = (ulong)random.NextInt64(1, long.MaxValue - 1000);
        var timestamp = Value(random);
        var depositIndex = Value(random);
        for (var b = 0; b < blocks.Length; b++)
        {
            var txs = new Transaction[random.Next(0, maxTransactions + 1)];
            for (var t = 0; t < txs.Length; t++)
            {
                txs[t] = Transaction(random, accounts[random.Next(accounts.Length)], ref depositIndex);
            }
            blocks[b] = new Block(number + (ulong)b, timestamp, txs);
            timestamp = random.Next(3) == 0 ? Value(random) : timestamp + (ulong)random.Next(0, 500);
        }
        var roots = new List<MarketRoot>();
        var market = 0u;
        for (var i = random.Next(0, 5); i > 0; i--)
        {
            market += (uint)random.Next(1, 1000);
            roots.Add(new MarketRoot(market, new Hash256(RandomBytes(random, Hash256.Length))));
        }
        return new L2Batch(blocks, roots);
    }

    private static Transaction Transaction(Random random, Address account, ref ulong depositIndex)
    {
        var kinds = TxKinds.All;
        var kind = kinds[random.Next(kinds.Length)];
        var market = random.Next(4) == 0 ? (uint)random.NextInt64(0, uint.MaxValue + 1L) : (uint)random.Next(1, 5);
        var tx = new Transaction { Kind = kind, Account = account };
        var signed = new Transaction
        {
            Kind = kind,
            Account = account,
            Nonce = Value(random),
            Signature = new Signature(RandomBytes(random, Signature.Length)),
        };
        switch (kind)
        {
            case TxKind.Deposit:
                depositIndex = random.Next(4) == 0 ? Value(random) : depositIndex + 1;
                return tx with { Amount = Value(random), DepositIndex = depositIndex };
            case TxKind.Withdraw:
                return signed with { Amount = Value(random) };
            case TxKind.TransferMargin:
                return signed with { Market = market, Amount = Value(random), ToMarket = random.Next(2) == 0 };
            case TxKind.PlaceOrder:
                return signed with
                {
                    Market = market,
                    IsBuy = random.Next(2) == 0,
                    Price = Value(random),
                    Size = Value(random),
                    OrderKind = (OrderKind)random.Next(2),
                    TimeInForce = (TimeInForce)random.Next(4),
                    ReduceOnly = random.Next(2) == 0,
                    ClientOrderId = Value(random),
                };
            case TxKind.CancelOrder:
                return signed with { Market = market, OrderId = Value(random) };
            case TxKind.CancelOrderByClientId:
                return signed with { Market = market, ClientOrderId = Value(random) };
            case TxKind.OracleUpdate:
                return signed with { Market = market, Price = Value(random), Timestamp = Value(random) };
            case TxKind.CreateMarket:
            case TxKind.SetMarketParams:
                return signed with { Market = market, Params = SampleMarkets.Perpetual("M" + random.Next(1000), account, tickSize: (ulong)random.Next(1, 1000)) };
            case TxKind.Bulk:
                return signed with { Market = market, Items = Items(random) };
            default:
                return signed with { Market = market };
        }
    }

    /// <summary>1 to 64 items of every action, the placing items' nonzero client ids all different.</summary>
    private static ValueArray<BulkItem> Items(Random random)
    {
        var items = new BulkItem[random.Next(4) == 0 ? BulkItem.MaxItems : random.Next(1, 20)];
        var clientIds = new HashSet<ulong>();
        for (var i = 0; i < items.Length; i++)
        {
            var action = (BulkAction)random.Next(4);
            var item = new BulkItem { Action = action, OrderId = action is BulkAction.Cancel or BulkAction.CancelReplace ? Value(random) : 0 };
            if (action is BulkAction.Place or BulkAction.CancelReplace)
            {
                var clientId = Value(random);
                item = item with
                {
                    IsBuy = random.Next(2) == 0,
                    Price = Value(random),
                    Size = Value(random),
                    OrderKind = (OrderKind)random.Next(2),
                    TimeInForce = (TimeInForce)random.Next(4),
                    ReduceOnly = random.Next(2) == 0,
                    ClientOrderId = clientId != 0 && !clientIds.Add(clientId) ? 0 : clientId,
                };
            }
            else if (action == BulkAction.CancelByClientId)
            {
                item = item with { ClientOrderId = Value(random) };
            }
            items[i] = item;
        }
        return new ValueArray<BulkItem>(items);
    }

    /// <summary>Small, mid-range or extreme: each varint length turns up.</summary>
    private static ulong Value(Random random) => random.Next(5) switch
    {
        0 => 0,
        1 => ulong.MaxValue - (ulong)random.Next(3),
        2 => (ulong)random.Next(0, 300),
        _ => (ulong)random.NextInt64() << random.Next(0, 2),
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
