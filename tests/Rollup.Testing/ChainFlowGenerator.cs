using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using System.Text;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Testing;

/// <summary>
/// A reproducible stream of blocks that exercises a whole chain: many accounts and markets, deposits and
/// withdrawals, margin moves, orders of every kind near the oracle price, cancels, oracle random walks with
/// occasional jumps that liquidate leveraged positions or trip circuit breakers, pauses and resumes.
/// Every account has a deterministic key; transactions carry sequential nonces and are signed in the given
/// domain, or carry a placeholder signature when no domain is given (for engines that skip verification).
/// </summary>
public sealed class ChainFlowGenerator
{
    private static readonly Dictionary<int, PrivateKey> Keys = [];

    public static readonly Address Operator = AddressOf(0xFFF0);
    public static readonly Address Oracle = AddressOf(0xFFF1);

    private readonly Random _random;
    private readonly int _marketCount;
    private readonly Address[] _accounts;
    private readonly long[] _oracle;

    // Per market: timestamps must rise per market and stay within the engine's window around block time.
    private readonly ulong[] _oracleTime;
    private readonly ulong[] _tick;
    private readonly ulong _lot;
    private readonly Dictionary<Address, ulong> _nonces = [];
    private readonly Dictionary<Address, (int Market, long Margin)[]> _homes = [];
    private readonly List<(Address Account, uint Market, ulong ClientOrderId)> _placed = [];
    // The ids orders were placed under (block << 20 | slot), for mixed bulks' cancels by id: some filled or cancelled since.
    private readonly List<(Address Account, uint Market, ulong OrderId)> _placedIds = [];
    private uint _slot;
    private readonly Eip712Domain? _domain;
    private readonly Dictionary<Address, PrivateKey> _keysByAddress = [];
    private ulong _nextDeposit;
    private ulong _nextClientId = 1;
    private ulong _blockNumber;

    /// <summary>
    /// When above 0, each order the flow would place becomes a Bulk of this many place items (1 to 64) in that market:
    /// a market maker's quote update. 0 (the default) keeps the flow exactly as it always was: nothing else (the accounts
    /// step's differential runs among them) sees a bulk unless it asks for one.
    /// </summary>
    public int BulkItems { get; init; }

    /// <summary>
    /// When set (and <see cref="BulkItems"/> is 0), about one order in six becomes a Bulk of 1 to 6 items mixing every
    /// action: places, cancels by client id of the account's earlier orders, cancels and cancel-replaces of order ids
    /// drawn near the recent blocks' (some found, most not). Off by default, for the same reason as BulkItems.
    /// </summary>
    public bool MixedBulks { get; init; }

    public ChainFlowGenerator(int seed, int markets = 16, int accounts = 200, Eip712Domain? signingDomain = null)
    {
        _domain = signingDomain;
        _random = new Random(seed);
        _marketCount = markets;
        _accounts = new Address[accounts];
        for (var i = 0; i < accounts; i++)
        {
            _accounts[i] = AddressOf(i + 1);
            _keysByAddress[_accounts[i]] = KeyOf(i + 1);
        }
        _keysByAddress[Operator] = KeyOf(0xFFF0);
        _keysByAddress[Oracle] = KeyOf(0xFFF1);
        _oracle = new long[markets + 1];
        _oracleTime = new ulong[markets + 1];
        _tick = new ulong[markets + 1];
        _lot = SizeScale / 1000;
        for (var m = 1; m <= markets; m++)
        {
            _tick[m] = (ulong)Math.Pow(10, _random.Next(0, 4));
            _oracle[m] = (long)((ulong)_random.NextInt64(10_000, 200_000) * 1_000 * _tick[m]);
        }
    }

    public const ulong SizeScale = 100_000_000;

    private static readonly Signature Placeholder = new(Enumerable.Repeat((byte)1, Signature.Length).ToArray());

    public static IReadOnlyList<Address> Operators => [Operator];

    public ulong Time { get; private set; } = 1_700_000_000_000;

    /// <summary>The address of test account <paramref name="n"/>: that of the key keccak256("rollup-test-account-" + n).</summary>
    public static Address AddressOf(int n) => KeyOf(n).Address;

    public static PrivateKey KeyOf(int n)
    {
        lock (Keys)
        {
            if (!Keys.TryGetValue(n, out var key))
            {
                Keys[n] = key = new PrivateKey(Keccak256.Compute(Encoding.ASCII.GetBytes($"rollup-test-account-{n}")).Bytes);
            }
            return key;
        }
    }

    public MarketParams Params(int market) => FlowParams(market, _tick[market], _lot, initialMarginPpm: 100_000);

    /// <summary>The market parameters of the seeded flows (this one and <see cref="TradingFlowGenerator"/>'s).</summary>
    internal static MarketParams FlowParams(int market, ulong tickSize, ulong lotSize, uint initialMarginPpm) => new()
    {
        Symbol = $"MKT{market}-PERP",
        TickSize = tickSize,
        LotSize = lotSize,
        SizeScale = SizeScale,
        InitialMarginPpm = initialMarginPpm,
        MaintenanceMarginPpm = 50_000,
        MakerFeePpm = 100,
        TakerFeePpm = 500,
        PriceBandPpm = 150_000,
        MaxOpenOrdersPerAccount = 40,
        FundingIntervalBlocks = 8,
        FundingCapPpm = 2_000,
        LiquidationFeePpm = 10_000,
        HaltMovePpm = 250_000,
        HaltWindowBlocks = 10,
        MaxBookOrders = 5_000,
        MaxBookLevels = 1_000,
        OracleSigners = [Oracle],
    };

    /// <summary>The next block: the first sets up markets and money, later ones trade.</summary>
    public Block Next(int transactions = 400)
    {
        _blockNumber++;
        Time += 250;
        var txs = new List<Transaction>(transactions);
        if (_blockNumber == 1)
        {
            for (var m = 1; m <= _marketCount; m++)
            {
                txs.Add(Signed(new Transaction { Kind = TxKind.CreateMarket, Account = Operator, Market = (uint)m, Params = Params(m) }));
            }
            foreach (var account in _accounts)
            {
                txs.Add(new Transaction { Kind = TxKind.Deposit, Account = account, Amount = (ulong)_random.NextInt64(50_000_000_000, 500_000_000_000), DepositIndex = _nextDeposit++ });
            }
        }
        else if (_blockNumber == 2)
        {
            for (var m = 1; m <= _marketCount; m++)
            {
                txs.Add(OracleUpdate(m, 0));
            }
            foreach (var account in _accounts)
            {
                var homes = new (int Market, long Margin)[3];
                for (var k = 0; k < homes.Length; k++)
                {
                    homes[k] = (_random.Next(1, _marketCount + 1), _random.NextInt64(5_000_000_000, 15_000_000_000));
                    txs.Add(MarginTransfer(account, homes[k].Market, toMarket: true, homes[k].Margin));
                }
                _homes[account] = homes;
            }
        }
        else
        {
            _slot = 0;
            while (txs.Count < transactions)
            {
                var tx = RandomTransaction();
                txs.Add(tx);
                _slot = OrderSlots.After(_slot, tx);
            }
        }
        return new Block(_blockNumber, Time, [.. txs]);
    }

    private Transaction RandomTransaction()
    {
        var roll = _random.Next(1000);
        var account = _accounts[_random.Next(_accounts.Length)];
        var home = _homes[account][_random.Next(3)];
        var market = _random.Next(100) < 85 ? home.Market : _random.Next(1, _marketCount + 1);
        return roll switch
        {
            < 700 when BulkItems > 0 => RandomBulk(account, market, home.Margin),
            < 120 when MixedBulks => RandomMixedBulk(account, market, home.Margin),
            < 700 => RecordedOrder(account, market, home.Margin),
            < 850 when _placed.Count > 0 => RandomCancel(),
            < 900 => OracleUpdate(market, _random.Next(100) switch { < 1 => 300_000, < 6 => 90_000, _ => 4_000 }),
            < 930 => MarginTransfer(account, market, toMarket: true, _random.NextInt64(1_000_000_000, 5_000_000_000)),
            < 950 => MarginTransfer(account, market, toMarket: false, _random.NextInt64(100_000_000, 3_000_000_000)),
            < 965 => new Transaction { Kind = TxKind.Deposit, Account = account, Amount = (ulong)_random.NextInt64(1_000_000, 10_000_000_000), DepositIndex = _nextDeposit++ },
            < 980 => Signed(new Transaction { Kind = TxKind.Withdraw, Account = account, Amount = (ulong)_random.NextInt64(1_000_000, 20_000_000_000) }),
            < 985 => Signed(new Transaction { Kind = TxKind.CancelAllOrders, Account = account, Market = (uint)market }),
            < 987 => Signed(new Transaction { Kind = TxKind.PauseMarket, Account = Operator, Market = (uint)market }),
            < 995 => Signed(new Transaction { Kind = TxKind.ResumeMarket, Account = Operator, Market = (uint)market }),
            _ => RandomOrder(account, market, home.Margin),
        };
    }

    /// <summary>A <see cref="RandomOrder"/> whose id (its block and slot) a mixed bulk may cancel later.</summary>
    private Transaction RecordedOrder(in Address account, int market, long margin)
    {
        if (MixedBulks)
        {
            _placedIds.Add((account, (uint)market, (_blockNumber << 20) | _slot));
        }
        return RandomOrder(account, market, margin);
    }

    /// <summary>An order worth up to about three times the margin the account put in its home market.</summary>
    private Transaction RandomOrder(in Address account, int market, long margin) => Signed(UnsignedOrder(account, market, margin));

    /// <summary><see cref="BulkItems"/> orders as one Bulk, each drawn as <see cref="RandomOrder"/> draws one (distinct client ids).</summary>
    private Transaction RandomBulk(in Address account, int market, long margin)
    {
        var items = new BulkItem[BulkItems];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = BulkItem.Place(UnsignedOrder(account, market, margin));
        }
        return Signed(new Transaction { Kind = TxKind.Bulk, Account = account, Market = (uint)market, Items = new ValueArray<BulkItem>(items) });
    }

    private Transaction RandomMixedBulk(in Address account, int market, long margin)
    {
        var items = new BulkItem[_random.Next(1, 7)];
        for (var i = 0; i < items.Length; i++)
        {
            var action = (BulkAction)_random.Next(4);
            items[i] = action switch
            {
                BulkAction.Place => BulkItem.Place(UnsignedOrder(account, market, margin)),
                BulkAction.Cancel => new BulkItem { Action = BulkAction.Cancel, OrderId = OrderIdToCancel(account, (uint)market) },
                BulkAction.CancelByClientId => new BulkItem { Action = BulkAction.CancelByClientId, ClientOrderId = ClientIdToCancel(account, (uint)market) },
                _ => BulkItem.Place(UnsignedOrder(account, market, margin)) with { Action = BulkAction.CancelReplace, OrderId = OrderIdToCancel(account, (uint)market) },
            };
            if (items[i].Places)
            {
                _placedIds.Add((account, (uint)market, (_blockNumber << 20) | (_slot + (uint)i)));
            }
        }
        return Signed(new Transaction { Kind = TxKind.Bulk, Account = account, Market = (uint)market, Items = new ValueArray<BulkItem>(items) });
    }

    /// <summary>The id of one of the account's earlier orders in the market (the latest, or one before it), or one never used.</summary>
    private ulong OrderIdToCancel(in Address account, uint market)
    {
        var skip = _random.Next(2);
        for (var i = _placedIds.Count - 1; i >= Math.Max(0, _placedIds.Count - 400); i--)
        {
            if (_placedIds[i].Account == account && _placedIds[i].Market == market && skip-- == 0)
            {
                return _placedIds[i].OrderId;
            }
        }
        return (_blockNumber << 20) | 0x7FFFF;
    }

    /// <summary>The client id of one of the account's earlier orders in the market, or one it never used.</summary>
    private ulong ClientIdToCancel(in Address account, uint market)
    {
        for (var i = _placed.Count - 1; i >= Math.Max(0, _placed.Count - 200); i--)
        {
            if (_placed[i].Account == account && _placed[i].Market == market)
            {
                return _placed[i].ClientOrderId;
            }
        }
        return _nextClientId + 1_000_000;
    }

    private Transaction UnsignedOrder(in Address account, int market, long margin)
    {
        var isBuy = _random.Next(2) == 0;
        var oracle = _oracle[market];
        // Mostly near the top of the book, some crossing by up to 1%, a few far away (often out of band).
        var offsetPpm = _random.Next(100) switch
        {
            < 80 => _random.Next(-2_000, 6_000),
            < 95 => _random.Next(-10_000, 0),
            _ => _random.Next(50_000, 200_000),
        };
        var price = oracle + ((isBuy ? -1 : 1) * oracle / 1_000_000 * offsetPpm);
        var tick = (long)_tick[market];
        price = Math.Max(tick, price / tick * tick);
        var notional = (Int128)margin * _random.Next(5, 300) / 100;
        var lots = (long)Int128.Max(1, notional * (Int128)SizeScale / price / _lot);
        var size = (ulong)lots * _lot;
        var tif = (TimeInForce)(_random.Next(100) switch { < 70 => 0, < 85 => 1, < 92 => 2, _ => 3 });
        var kind = _random.Next(100) < 5 ? OrderKind.Market : OrderKind.Limit;
        if (kind == OrderKind.Market && tif == TimeInForce.PostOnly)
        {
            tif = TimeInForce.Ioc;
        }
        var clientOrderId = _nextClientId++;
        _placed.Add((account, (uint)market, clientOrderId));
        return new Transaction
        {
            Kind = TxKind.PlaceOrder, Account = account, Market = (uint)market, IsBuy = isBuy, Price = (ulong)price, Size = size,
            OrderKind = kind, TimeInForce = tif, ReduceOnly = _random.Next(100) < 5, ClientOrderId = clientOrderId,
        };
    }

    private Transaction RandomCancel()
    {
        var index = _random.Next(_placed.Count);
        var (account, market, clientOrderId) = _placed[index];
        _placed[index] = _placed[^1];
        _placed.RemoveAt(_placed.Count - 1);
        return Signed(new Transaction { Kind = TxKind.CancelOrderByClientId, Account = account, Market = market, ClientOrderId = clientOrderId });
    }

    /// <summary>A random walk step of up to <paramref name="maxMovePpm"/> (a jump when large).</summary>
    private Transaction OracleUpdate(int market, int maxMovePpm)
    {
        var move = _random.Next(-maxMovePpm, maxMovePpm + 1);
        var tick = (long)_tick[market];
        var next = _oracle[market] + (_oracle[market] / 1_000_000 * move);
        _oracle[market] = Math.Max(tick * 100, next / tick * tick);
        _oracleTime[market] = Math.Max(_oracleTime[market] + 1, Time - 1_000);
        return Signed(new Transaction { Kind = TxKind.OracleUpdate, Account = Oracle, Market = (uint)market, Price = (ulong)_oracle[market], Timestamp = _oracleTime[market] });
    }

    private Transaction MarginTransfer(in Address account, int market, bool toMarket, long amount) =>
        Signed(new Transaction { Kind = TxKind.TransferMargin, Account = account, Market = (uint)market, Amount = (ulong)amount, ToMarket = toMarket });

    private Transaction Signed(Transaction tx)
    {
        _nonces.TryGetValue(tx.Account, out var nonce);
        _nonces[tx.Account] = nonce + 1;
        tx = tx with { Nonce = nonce };
        return _domain is null
            ? tx with { Signature = Placeholder }
            : TransactionSigning.Sign(tx, _keysByAddress[tx.Account], _domain);
    }
}
