using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Tests.Transactions;

/// <summary>
/// Random well-formed transactions of any kind, over the full range of every field: each integer is often
/// an edge (0, 1, max − 1, max) and otherwise any 64 random bits cut to its width.
/// </summary>
internal static class TransactionSamples
{
    public const string SymbolAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/.:!~#$%&*+=?@^|<>()[]{}'\"\\`,;";

    /// <summary>A random transaction of <paramref name="kind"/>; signed kinds get a random (not valid) signature.</summary>
    public static Transaction Random(Random random, TxKind kind, Address? account = null)
    {
        var tx = new Transaction { Kind = kind, Account = account ?? RandomAddress(random) };
        tx = kind switch
        {
            TxKind.Deposit => tx with { Amount = U64(random), DepositIndex = U64(random) },
            TxKind.Withdraw => tx with { Amount = U64(random) },
            TxKind.TransferMargin => tx with { Market = U32(random), Amount = U64(random), ToMarket = Bool(random) },
            TxKind.PlaceOrder => tx with
            {
                Market = U32(random),
                IsBuy = Bool(random),
                Price = U64(random),
                Size = U64(random),
                OrderKind = (OrderKind)random.Next(2),
                TimeInForce = (TimeInForce)random.Next(4),
                ReduceOnly = Bool(random),
                ClientOrderId = U64(random),
            },
            TxKind.CancelOrder => tx with { Market = U32(random), OrderId = U64(random) },
            TxKind.CancelOrderByClientId => tx with { Market = U32(random), ClientOrderId = U64(random) },
            TxKind.OracleUpdate => tx with { Market = U32(random), Price = U64(random), Timestamp = U64(random) },
            TxKind.CreateMarket or TxKind.SetMarketParams => tx with { Market = U32(random), Params = RandomParams(random) },
            TxKind.CancelAllOrders or TxKind.PauseMarket or TxKind.ResumeMarket => tx with { Market = U32(random) },
            TxKind.Bulk => tx with { Market = U32(random), Items = RandomItems(random, random.Next(1, BulkItem.MaxItems + 1)) },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        if (!kind.IsSigned())
        {
            return tx;
        }
        var signature = new byte[Signature.Length];
        random.NextBytes(signature);
        return tx with { Nonce = U64(random), Signature = new Signature(signature) };
    }

    /// <summary>Every field of the kind at its maximum (the longest symbol, four oracle signers).</summary>
    public static Transaction Max(TxKind kind, Address account)
    {
        var max = new Address(Enumerable.Repeat((byte)0xFF, Address.Length).ToArray());
        var tx = new Transaction { Kind = kind, Account = account };
        tx = kind switch
        {
            TxKind.Deposit => tx with { Amount = ulong.MaxValue, DepositIndex = ulong.MaxValue },
            TxKind.Withdraw => tx with { Amount = ulong.MaxValue },
            TxKind.TransferMargin => tx with { Market = uint.MaxValue, Amount = ulong.MaxValue, ToMarket = true },
            TxKind.PlaceOrder => tx with
            {
                Market = uint.MaxValue,
                IsBuy = true,
                Price = ulong.MaxValue,
                Size = ulong.MaxValue,
                OrderKind = OrderKind.Market,
                TimeInForce = TimeInForce.PostOnly,
                ReduceOnly = true,
                ClientOrderId = ulong.MaxValue,
            },
            TxKind.CancelOrder => tx with { Market = uint.MaxValue, OrderId = ulong.MaxValue },
            TxKind.CancelOrderByClientId => tx with { Market = uint.MaxValue, ClientOrderId = ulong.MaxValue },
            TxKind.OracleUpdate => tx with { Market = uint.MaxValue, Price = ulong.MaxValue, Timestamp = ulong.MaxValue },
            TxKind.CreateMarket or TxKind.SetMarketParams => tx with
            {
                Market = uint.MaxValue,
                Params = new MarketParams
                {
                    Symbol = new string('~', 16),
                    TickSize = ulong.MaxValue,
                    LotSize = ulong.MaxValue,
                    SizeScale = ulong.MaxValue,
                    InitialMarginPpm = uint.MaxValue,
                    MaintenanceMarginPpm = uint.MaxValue,
                    MakerFeePpm = uint.MaxValue,
                    TakerFeePpm = uint.MaxValue,
                    PriceBandPpm = uint.MaxValue,
                    MaxOpenOrdersPerAccount = uint.MaxValue,
                    FundingIntervalBlocks = uint.MaxValue,
                    FundingCapPpm = uint.MaxValue,
                    LiquidationFeePpm = uint.MaxValue,
                    HaltMovePpm = uint.MaxValue,
                    HaltWindowBlocks = uint.MaxValue,
                    MaxBookOrders = uint.MaxValue,
                    MaxBookLevels = uint.MaxValue,
                    OracleSigners = [max, max, max, max],
                },
            },
            TxKind.CancelAllOrders or TxKind.PauseMarket or TxKind.ResumeMarket => tx with { Market = uint.MaxValue },
            // The longest bulk: every item a cancel-replace, every field at its maximum but the client ids, which must differ.
            TxKind.Bulk => tx with
            {
                Market = uint.MaxValue,
                Items = new ValueArray<BulkItem>(Enumerable.Range(0, BulkItem.MaxItems).Select(i => new BulkItem
                {
                    Action = BulkAction.CancelReplace,
                    OrderId = ulong.MaxValue,
                    IsBuy = true,
                    Price = ulong.MaxValue,
                    Size = ulong.MaxValue,
                    OrderKind = OrderKind.Market,
                    TimeInForce = TimeInForce.PostOnly,
                    ReduceOnly = true,
                    ClientOrderId = ulong.MaxValue - (ulong)i,
                }).ToArray()),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        if (!kind.IsSigned())
        {
            return tx;
        }
        var signature = Enumerable.Repeat((byte)0xFF, Signature.Length).ToArray();
        return tx with { Nonce = ulong.MaxValue, Signature = new Signature(signature) };
    }

    /// <summary>
    /// <paramref name="count"/> random bulk items of every action, each with only its action's fields set and the placing
    /// items' nonzero client ids all different (a bulk with a repeat is malformed).
    /// </summary>
    public static ValueArray<BulkItem> RandomItems(Random random, int count)
    {
        var items = new BulkItem[count];
        var clientIds = new HashSet<ulong>();
        for (var i = 0; i < items.Length; i++)
        {
            var action = (BulkAction)random.Next(4);
            var item = new BulkItem { Action = action };
            if (action is BulkAction.Cancel or BulkAction.CancelReplace)
            {
                item = item with { OrderId = U64(random) };
            }
            if (action is BulkAction.Place or BulkAction.CancelReplace)
            {
                ulong clientId;
                do
                {
                    clientId = U64(random);
                }
                while (clientId != 0 && !clientIds.Add(clientId));
                item = item with
                {
                    IsBuy = Bool(random),
                    Price = U64(random),
                    Size = U64(random),
                    OrderKind = (OrderKind)random.Next(2),
                    TimeInForce = (TimeInForce)random.Next(4),
                    ReduceOnly = Bool(random),
                    ClientOrderId = clientId,
                };
            }
            if (action == BulkAction.CancelByClientId)
            {
                item = item with { ClientOrderId = U64(random) };
            }
            items[i] = item;
        }
        return new ValueArray<BulkItem>(items);
    }

    public static MarketParams RandomParams(Random random)
    {
        var symbol = new char[random.Next(1, 17)];
        for (var i = 0; i < symbol.Length; i++)
        {
            symbol[i] = random.Next(3) == 0 ? (char)random.Next(0x21, 0x7F) : SymbolAlphabet[random.Next(SymbolAlphabet.Length)];
        }
        return new MarketParams
        {
            Symbol = new string(symbol),
            TickSize = U64(random),
            LotSize = U64(random),
            SizeScale = U64(random),
            InitialMarginPpm = U32(random),
            MaintenanceMarginPpm = U32(random),
            MakerFeePpm = U32(random),
            TakerFeePpm = U32(random),
            PriceBandPpm = U32(random),
            MaxOpenOrdersPerAccount = U32(random),
            FundingIntervalBlocks = U32(random),
            FundingCapPpm = U32(random),
            LiquidationFeePpm = U32(random),
            HaltMovePpm = U32(random),
            HaltWindowBlocks = U32(random),
            MaxBookOrders = U32(random),
            MaxBookLevels = U32(random),
            OracleSigners = Enumerable.Range(0, random.Next(MarketParams.MaxOracleSigners + 1)).Select(_ => RandomAddress(random)).ToArray(),
        };
    }

    public static Address RandomAddress(Random random)
    {
        var bytes = new byte[Address.Length];
        random.NextBytes(bytes);
        return new Address(bytes);
    }

    public static PrivateKey RandomKey(Random random)
    {
        var key = new byte[Secp256k1.PrivateKeyLength];
        do
        {
            random.NextBytes(key);
        }
        while (!Secp256k1.IsValidPrivateKey(key));
        return new PrivateKey(key);
    }

    public static ulong U64(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => 1,
        2 => ulong.MaxValue,
        3 => ulong.MaxValue - 1,
        4 => (ulong)random.Next(1_000_000),
        _ => RandomBits(random),
    };

    public static uint U32(Random random) => (uint)(U64(random) >> (random.Next(2) == 0 ? 32 : 0));

    private static bool Bool(Random random) => random.Next(2) == 1;

    private static ulong RandomBits(Random random)
    {
        Span<byte> bytes = stackalloc byte[8];
        random.NextBytes(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
