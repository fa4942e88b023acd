using Rollup.Execution.Blocks;
using Rollup.Execution.Markets;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;

namespace Rollup.Testing;

/// <summary>
/// A reproducible flow of full blocks as a venue sees it, for benchmarks: market makers keep post-only quote
/// ladders around an oracle that moves every block, takers cross them, rest passive orders and cancel their own,
/// and money moves realistically (L1 deposits, margin into and out of markets within what is free, withdrawals).
/// Unlike <see cref="ChainFlowGenerator"/> (random on purpose, about half of it rejected, which the tests rely on),
/// every participant acts on the state at the start of the block, as a client acts on the streams it follows:
/// the generator executes each block it hands out on a shadow engine of its own before it writes the next one.
/// What is left rejected is what a venue really refuses: post-only orders that would cross after the price moved,
/// cancels of orders filled earlier in the same block, fill-or-kill orders the book cannot fill, and the few
/// orders of traders who size beyond their margin.
/// Accounts, keys, operator and oracle signer are <see cref="ChainFlowGenerator"/>'s, so engines set up for it run
/// this flow too. The sequence depends only on the seed and settings.
/// </summary>
public sealed class TradingFlowGenerator : IDisposable
{
    public const ulong BlockIntervalMs = 250;

    /// <summary>Makers per market: each quotes a ladder on both sides from its own large margin.</summary>
    private const int MakersPerMarket = 6;
    private const int LadderLevels = 12;
    private const long SpreadPpm = 300;
    private const long LevelStepPpm = 150;
    private const int TakerRestingCap = 6;
    /// <summary>Taker orders sized beyond the trader's margin, per thousand.</summary>
    private const int OverreachPerMille = 8;
    private const int MaxHomes = 4;
    private const uint InitialMarginPpm = 100_000;
    /// <summary>A participant keeps its exposure below this share of what its equity allows.</summary>
    private const long HeadroomPpm = 850_000;
    private const ulong SizeScale = ChainFlowGenerator.SizeScale;

    private readonly Random _random;
    private readonly int _marketCount;
    private readonly Address[] _accounts;
    /// <summary>Market of each maker (by account index), 0 for takers.</summary>
    private readonly int[] _makerOf;
    private readonly int[] _takers;
    private readonly List<int>[] _homes;
    private readonly long[] _oracle;
    private readonly long[] _anchor;
    private readonly ulong[] _oracleTime;
    private readonly ulong[] _tick;
    private readonly ulong _lot = SizeScale / 1000;
    private readonly ulong[] _nonces;
    private readonly Dictionary<Address, int> _indexOf = [];
    private readonly Eip712Domain? _domain;
    private readonly TempDirectory _shadowDirectory = new("rollup-trading-flow");
    private readonly ExecutionEngine _shadow;
    private Block? _unexecuted;
    private ulong _nextDeposit;
    private ulong _nextClientId = 1;
    private ulong _blockNumber;
    private int _blockTransactions = 1;

    // The block being written: what each participant knows and what it did so far in it.
    private readonly Dictionary<(int Account, int Market), Holding> _holdings = [];
    private long[] _free = [];
    private readonly List<Transaction> _txs = [];

    public TradingFlowGenerator(int seed, int markets = 16, int accounts = 1000, Eip712Domain? signingDomain = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, markets * MakersPerMarket + 50);
        _domain = signingDomain;
        _random = new Random(seed);
        _marketCount = markets;
        _accounts = new Address[accounts];
        _nonces = new ulong[accounts + 2];
        _makerOf = new int[accounts];
        _homes = new List<int>[accounts];
        for (var i = 0; i < accounts; i++)
        {
            _accounts[i] = ChainFlowGenerator.AddressOf(i + 1);
            _indexOf[_accounts[i]] = i;
            _homes[i] = [];
        }
        _indexOf[ChainFlowGenerator.Operator] = accounts;
        _indexOf[ChainFlowGenerator.Oracle] = accounts + 1;
        for (var m = 1; m <= markets; m++)
        {
            for (var k = 0; k < MakersPerMarket; k++)
            {
                var maker = (m - 1) * MakersPerMarket + k;
                _makerOf[maker] = m;
                _homes[maker].Add(m);
            }
        }
        _takers = [.. Enumerable.Range(0, accounts).Where(i => _makerOf[i] == 0)];
        _oracle = new long[markets + 1];
        _anchor = new long[markets + 1];
        _oracleTime = new ulong[markets + 1];
        _tick = new ulong[markets + 1];
        for (var m = 1; m <= markets; m++)
        {
            _tick[m] = (ulong)Math.Pow(10, _random.Next(0, 4));
            _oracle[m] = _anchor[m] = (long)((ulong)_random.NextInt64(10_000, 200_000) * 1_000 * _tick[m]);
        }
        _shadow = ExecutionEngine.Open(_shadowDirectory.Path, new EngineOptions
        {
            Operators = ChainFlowGenerator.Operators,
            Workers = Math.Min(2, Environment.ProcessorCount),
            VerifySignatures = false,
        });
    }

    public ulong Time { get; private set; } = 1_700_000_000_000;

    /// <summary>The receipts of the last block the shadow engine ran (the one before the block <see cref="Next"/> returned last).</summary>
    public BlockResult? LastShadowResult { get; private set; }

    public MarketParams Params(int market) => ChainFlowGenerator.FlowParams(market, _tick[market], _lot, InitialMarginPpm);

    /// <summary>
    /// The next block. The first creates the markets and credits every account's first deposit, the second
    /// prices the markets and moves margin in; from the third on each has exactly <paramref name="transactions"/>.
    /// </summary>
    public Block Next(int transactions = 10_000)
    {
        if (_unexecuted is not null)
        {
            LastShadowResult = _shadow.Execute(_unexecuted);
        }
        _blockNumber++;
        Time += BlockIntervalMs;
        _txs.Clear();
        _blockTransactions = Math.Max(1, transactions);
        switch (_blockNumber)
        {
            case 1:
                Setup();
                break;
            case 2:
                MoveFirstMargin();
                break;
            default:
                Snapshot();
                Trade(transactions);
                break;
        }
        _unexecuted = new Block(_blockNumber, Time, [.. _txs]);
        return _unexecuted;
    }

    public void Dispose()
    {
        _shadow.Dispose();
        _shadowDirectory.Dispose();
    }

    private void Setup()
    {
        for (var m = 1; m <= _marketCount; m++)
        {
            Add(new Transaction { Kind = TxKind.CreateMarket, Account = ChainFlowGenerator.Operator, Market = (uint)m, Params = Params(m) });
        }
        for (var a = 0; a < _accounts.Length; a++)
        {
            var amount = IsMaker(a) ? _random.NextInt64(2_000_000_000_000, 4_000_000_000_000) : _random.NextInt64(50_000_000_000, 500_000_000_000);
            Add(Deposit(a, amount));
        }
    }

    private void MoveFirstMargin()
    {
        for (var m = 1; m <= _marketCount; m++)
        {
            Add(OracleUpdate(m, 0));
        }
        for (var a = 0; a < _accounts.Length; a++)
        {
            if (IsMaker(a))
            {
                Add(Transfer(a, _makerOf[a], toMarket: true, _random.NextInt64(1_000_000_000_000, 1_500_000_000_000)));
                continue;
            }
            var homes = _random.Next(1, 4);
            while (_homes[a].Count < homes)
            {
                var market = _random.Next(1, _marketCount + 1);
                if (!_homes[a].Contains(market))
                {
                    _homes[a].Add(market);
                    Add(Transfer(a, market, toMarket: true, _random.NextInt64(5_000_000_000, 15_000_000_000)));
                }
            }
        }
    }

    /// <summary>What every participant knows at the start of the block: free balances, positions, resting orders.</summary>
    private void Snapshot()
    {
        _holdings.Clear();
        if (_free.Length != _accounts.Length)
        {
            _free = new long[_accounts.Length];
        }
        for (var a = 0; a < _accounts.Length; a++)
        {
            _free[a] = _shadow.TryGetFreeBalance(_accounts[a], out var free) ? free : 0;
        }
        for (var m = 1; m <= _marketCount; m++)
        {
            if (!_shadow.TryGetMarket((uint)m, out var market))
            {
                continue;
            }
            var mark = market.MarkPrice != 0 ? market.MarkPrice : market.OraclePrice;
            for (var a = 0; a < _accounts.Length; a++)
            {
                if (!_homes[a].Contains(m) || !market.TryGetPosition(_accounts[a], out var size, out var collateral))
                {
                    continue;
                }
                _holdings[(a, m)] = new Holding
                {
                    Size = size,
                    Equity = collateral + (long)((Int128)size * mark / SizeScale),
                    Exposure = (Int128)Math.Abs(size) * mark,
                };
            }
            foreach (var order in market.Orders())
            {
                if (_indexOf.TryGetValue(order.Account, out var a) && _holdings.TryGetValue((a, m), out var holding))
                {
                    holding.Resting.Add(order);
                    holding.OpenOrders++;
                    holding.Exposure += (Int128)order.Price * order.RemainingSize;
                }
            }
        }
    }

    private void Trade(int transactions)
    {
        // Two oracle updates per market per block, spread evenly through it.
        var oracleEvery = Math.Max(1, transactions / (2 * _marketCount));
        var nextOracleMarket = 1;
        while (_txs.Count < transactions)
        {
            if (_txs.Count % oracleEvery == oracleEvery / 2)
            {
                Add(OracleUpdate(nextOracleMarket, 400));
                nextOracleMarket = nextOracleMarket % _marketCount + 1;
                continue;
            }
            var roll = _random.Next(1000);
            var done = roll switch
            {
                < 560 => MakerTurn(),
                < 720 => AggressiveOrder(RandomTakerHolding()),
                < 830 => PassiveOrder(RandomTakerHolding()),
                < 920 => TakerCancel(RandomTakerHolding()),
                < 945 => ReduceOnlyClose(RandomTakerHolding()),
                < 947 => CancelAll(RandomTakerHolding()),
                < 960 => DepositToRandomTaker(),
                < 975 => MarginIn(_takers[_random.Next(_takers.Length)]),
                < 987 => MarginOut(RandomTakerHolding()),
                _ => WithdrawFree(_takers[_random.Next(_takers.Length)]),
            };
            // The chosen participant had nothing sensible to do: another taker's passive order instead.
            for (var attempt = 0; !done && attempt < 8; attempt++)
            {
                done = PassiveOrder(RandomTakerHolding());
            }
        }
    }

    // ---- makers -----------------------------------------------------------------------------------------------

    /// <summary>
    /// One step of a maker keeping its ladder: cancel the quote furthest out of place (stale after the price moved, or
    /// on the side its inventory says to stop quoting), else fill the innermost missing level post-only, else refresh
    /// its deepest quote.
    /// </summary>
    private bool MakerTurn()
    {
        var market = _random.Next(1, _marketCount + 1);
        var account = (market - 1) * MakersPerMarket + _random.Next(MakersPerMarket);
        if (!_holdings.TryGetValue((account, market), out var holding))
        {
            return false;
        }
        var mid = _oracle[market];
        var capacity = Capacity(holding);
        var inventory = (Int128)holding.Size * mid / SizeScale;
        var quoteBids = inventory < capacity * 3 / 10;
        var quoteAsks = inventory > -capacity * 3 / 10;
        var outer = (SpreadPpm + (LadderLevels + 1) * LevelStepPpm) * mid / 1_000_000;

        var stale = -1;
        long staleDistance = 0;
        for (var i = 0; i < holding.Resting.Count; i++)
        {
            if (holding.Cancelled(i))
            {
                continue;
            }
            var order = holding.Resting[i];
            var away = order.IsBuy ? mid - order.Price : order.Price - mid;
            var unwanted = order.IsBuy ? !quoteBids : !quoteAsks;
            var distance = unwanted || away <= 0 ? long.MaxValue : away > outer ? away : 0;
            if (distance > staleDistance)
            {
                stale = i;
                staleDistance = distance;
            }
        }
        if (stale >= 0)
        {
            return CancelResting(account, market, holding, stale);
        }

        if (holding.OpenOrders < 2 * LadderLevels)
        {
            var isBuy = !quoteAsks || (quoteBids && holding.Quotes(isBuy: true) <= holding.Quotes(isBuy: false));
            var level = holding.FirstFreeLevel(isBuy, mid, SpreadPpm, LevelStepPpm, LadderLevels);
            if (level >= 0)
            {
                var price = PriceAt(market, isBuy, SpreadPpm + level * LevelStepPpm);
                var notional = capacity * HeadroomPpm / 1_000_000 / (2 * LadderLevels + 24);
                var size = Lots(notional * _random.Next(60, 141) / 100, price);
                if (Fits(holding, price, size))
                {
                    holding.Placed.Add((isBuy, price));
                    PlaceOrder(account, market, holding, isBuy, price, size, OrderKind.Limit, TimeInForce.PostOnly);
                    return true;
                }
            }
        }

        // A full ladder in place: refresh the deepest quote known to rest since the block began.
        var deepest = -1;
        long deepestAway = -1;
        for (var i = 0; i < holding.Resting.Count; i++)
        {
            if (!holding.Cancelled(i))
            {
                var order = holding.Resting[i];
                var away = order.IsBuy ? mid - order.Price : order.Price - mid;
                if (away > deepestAway)
                {
                    deepest = i;
                    deepestAway = away;
                }
            }
        }
        return deepest >= 0 && CancelResting(account, market, holding, deepest);
    }

    // ---- takers -----------------------------------------------------------------------------------------------

    private (int Account, int Market, Holding? Holding) RandomTakerHolding()
    {
        var account = _takers[_random.Next(_takers.Length)];
        var homes = _homes[account];
        if (homes.Count == 0)
        {
            return (account, 0, null);
        }
        var market = homes[_random.Next(homes.Count)];
        return (account, market, _holdings.GetValueOrDefault((account, market)));
    }

    /// <summary>An order that crosses into the makers' first levels: mostly IOC, some GTC (the rest rests), market and FOK orders.</summary>
    private bool AggressiveOrder((int Account, int Market, Holding? Holding) pick)
    {
        var (account, market, holding) = pick;
        if (holding is null)
        {
            return false;
        }
        var mid = _oracle[market];
        var isBuy = TakerSide(holding, mid);
        var tif = _random.Next(100) switch { < 65 => TimeInForce.Ioc, < 80 => TimeInForce.Gtc, _ => TimeInForce.Fok };
        var kind = _random.Next(100) < 12 ? OrderKind.Market : OrderKind.Limit;
        if (tif == TimeInForce.Gtc && (kind == OrderKind.Market || holding.OpenOrders >= TakerRestingCap))
        {
            tif = TimeInForce.Ioc;
        }
        var offset = kind == OrderKind.Market ? 10_000 : SpreadPpm + _random.Next(0, 4) * LevelStepPpm;
        var price = PriceAt(market, isBuy, -offset);
        // FOK orders are small (they must fill at once); the others a few percent of what the margin carries.
        var size = tif == TimeInForce.Fok ? Lots(Capacity(holding) * _random.Next(1, 10) / 1000, price) : TakerSize(holding, price);
        if (size == 0 || (tif == TimeInForce.Fok && !Fits(holding, price, size)))
        {
            return false;
        }
        PlaceOrder(account, market, holding, isBuy, price, size, kind, tif);
        return true;
    }

    /// <summary>A resting limit order on the taker's own side, inside the makers' spread or behind their ladder; some post-only.</summary>
    private bool PassiveOrder((int Account, int Market, Holding? Holding) pick)
    {
        var (account, market, holding) = pick;
        if (holding is null || holding.OpenOrders >= TakerRestingCap)
        {
            return false;
        }
        var mid = _oracle[market];
        var isBuy = TakerSide(holding, mid);
        var depth = _random.Next(100) < 30 ? SpreadPpm / 2 + _random.Next(0, (int)SpreadPpm / 2) : SpreadPpm + Geometric() * LevelStepPpm;
        var price = PriceAt(market, isBuy, depth);
        var size = TakerSize(holding, price);
        if (size == 0)
        {
            return false;
        }
        PlaceOrder(account, market, holding, isBuy, price, size, OrderKind.Limit, _random.Next(100) < 30 ? TimeInForce.PostOnly : TimeInForce.Gtc);
        return true;
    }

    /// <summary>Cancels one of the taker's orders that rested when the block began; the deeper ones more often.</summary>
    private bool TakerCancel((int Account, int Market, Holding? Holding) pick)
    {
        var (account, market, holding) = pick;
        if (holding is null)
        {
            return false;
        }
        var candidates = 0;
        for (var i = 0; i < holding.Resting.Count; i++)
        {
            candidates += holding.Cancelled(i) ? 0 : 1;
        }
        if (candidates == 0)
        {
            return false;
        }
        var chosen = _random.Next(candidates);
        for (var i = 0; i < holding.Resting.Count; i++)
        {
            if (!holding.Cancelled(i) && chosen-- == 0)
            {
                return CancelResting(account, market, holding, i);
            }
        }
        return false;
    }

    /// <summary>Closes part or all of a position the taker held when the block began, reduce-only IOC.</summary>
    private bool ReduceOnlyClose((int Account, int Market, Holding? Holding) pick)
    {
        var (account, market, holding) = pick;
        if (holding is null || holding.Size == 0 || holding.Reduced)
        {
            return false;
        }
        holding.Reduced = true;
        var isBuy = holding.Size < 0;
        var price = PriceAt(market, isBuy, -10_000);
        var size = (ulong)Math.Abs(holding.Size) * (ulong)_random.Next(20, 101) / 100 / _lot * _lot;
        if (size == 0)
        {
            return false;
        }
        Add(new Transaction
        {
            Kind = TxKind.PlaceOrder, Account = _accounts[account], Market = (uint)market, IsBuy = isBuy, Price = (ulong)price, Size = size,
            OrderKind = OrderKind.Limit, TimeInForce = TimeInForce.Ioc, ReduceOnly = true, ClientOrderId = _nextClientId++,
        });
        return true;
    }

    private bool CancelAll((int Account, int Market, Holding? Holding) pick)
    {
        var (account, market, holding) = pick;
        if (holding is null)
        {
            return false;
        }
        for (var i = 0; i < holding.Resting.Count; i++)
        {
            if (!holding.Cancelled(i))
            {
                holding.Cancel(i);
            }
        }
        holding.OpenOrders = 0;
        Add(new Transaction { Kind = TxKind.CancelAllOrders, Account = _accounts[account], Market = (uint)market });
        return true;
    }

    /// <summary>Takers lean against their position once it is a large part of what their margin carries.</summary>
    private bool TakerSide(Holding holding, long mid)
    {
        var inventory = (Int128)holding.Size * mid / SizeScale;
        var capacity = Capacity(holding);
        if (inventory > capacity * 4 / 10)
        {
            return false;
        }
        if (inventory < -capacity * 4 / 10)
        {
            return true;
        }
        return _random.Next(2) == 0;
    }

    /// <summary>
    /// Mostly small orders (thousandths of what the margin carries, a long tail up to a fifth), cut to what is still
    /// available; but a few traders size beyond their margin and are refused.
    /// </summary>
    private ulong TakerSize(Holding holding, long price)
    {
        var available = Available(holding);
        if (_random.Next(1000) < OverreachPerMille)
        {
            return Lots(available * _random.Next(110, 200) / 100, price);
        }
        var share = _random.Next(100) switch
        {
            < 70 => _random.Next(2, 20),
            < 95 => _random.Next(20, 80),
            _ => _random.Next(80, 200),
        };
        return Lots(Int128.Min(Capacity(holding) * share / 1000, available * 9 / 10), price);
    }

    // ---- money --------------------------------------------------------------------------------------------------

    private bool DepositToRandomTaker()
    {
        var account = _takers[_random.Next(_takers.Length)];
        var amount = _random.NextInt64(1_000_000_000, 20_000_000_000);
        _free[account] += amount;
        Add(Deposit(account, amount));
        return true;
    }

    /// <summary>Free balance into a market the trader holds, sometimes a new one: never more than it has free.</summary>
    private bool MarginIn(int account)
    {
        var amount = _random.NextInt64(2_000_000_000, 10_000_000_000);
        if (_free[account] < amount)
        {
            return false;
        }
        var homes = _homes[account];
        int market;
        if (homes.Count < MaxHomes && _random.Next(10) == 0)
        {
            market = _random.Next(1, _marketCount + 1);
            if (homes.Contains(market))
            {
                return false;
            }
            // A new market is traded from the next block on, when the position shows in the state.
            homes.Add(market);
        }
        else
        {
            market = homes[_random.Next(homes.Count)];
        }
        _free[account] -= amount;
        if (_holdings.TryGetValue((account, market), out var holding))
        {
            holding.Equity += amount;
        }
        Add(Transfer(account, market, toMarket: true, amount));
        return true;
    }

    /// <summary>Part of the margin a position does not need back to the free balance.</summary>
    private bool MarginOut((int Account, int Market, Holding? Holding) pick)
    {
        var (account, market, holding) = pick;
        if (holding is null)
        {
            return false;
        }
        // Free margin in collateral units: equity beyond twice the initial margin of everything it has exposed.
        var needed = (long)(holding.Exposure / SizeScale * InitialMarginPpm / 1_000_000) * 2;
        var spare = holding.Equity - needed;
        if (spare < 2_000_000_000)
        {
            return false;
        }
        var amount = spare * _random.Next(10, 40) / 100;
        holding.Equity -= amount;
        Add(Transfer(account, market, toMarket: false, amount));
        return true;
    }

    private bool WithdrawFree(int account)
    {
        if (_free[account] < 2_000_000_000)
        {
            return false;
        }
        var amount = _free[account] * _random.Next(10, 50) / 100;
        _free[account] -= amount;
        Add(new Transaction { Kind = TxKind.Withdraw, Account = _accounts[account], Amount = (ulong)amount });
        return true;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>Notional (collateral units) the holding's equity carries at the initial margin, with headroom.</summary>
    private static Int128 Capacity(Holding holding) =>
        Math.Max(0, holding.Equity) * (Int128)1_000_000 / InitialMarginPpm * HeadroomPpm / 1_000_000;

    /// <summary>Notional the holding may still add: capacity minus what it exposes (position, resting and this block's orders).</summary>
    private static Int128 Available(Holding holding) => Int128.Max(0, Capacity(holding) - holding.Exposure / SizeScale);

    private static bool Fits(Holding holding, long price, ulong size) => (Int128)price * size / SizeScale <= Available(holding);

    private ulong Lots(Int128 notional, long price)
    {
        if (notional <= 0)
        {
            return 0;
        }
        var lots = notional * SizeScale / price / _lot;
        return lots > 1_000_000_000 ? 1_000_000_000 * _lot : (ulong)lots * _lot;
    }

    /// <summary>The price <paramref name="awayPpm"/> behind the oracle on the order's own side (negative: through it), on a tick.</summary>
    private long PriceAt(int market, bool isBuy, long awayPpm)
    {
        var mid = _oracle[market];
        var tick = (long)_tick[market];
        var offset = mid / 1_000_000 * awayPpm;
        var price = isBuy ? mid - offset : mid + offset;
        return Math.Max(tick, price / tick * tick);
    }

    private void PlaceOrder(int account, int market, Holding holding, bool isBuy, long price, ulong size, OrderKind kind, TimeInForce tif)
    {
        holding.Exposure += (Int128)price * size;
        if (kind == OrderKind.Limit && tif is TimeInForce.Gtc or TimeInForce.PostOnly)
        {
            holding.OpenOrders++;
        }
        Add(new Transaction
        {
            Kind = TxKind.PlaceOrder, Account = _accounts[account], Market = (uint)market, IsBuy = isBuy, Price = (ulong)price, Size = size,
            OrderKind = kind, TimeInForce = tif, ClientOrderId = _nextClientId++,
        });
    }

    private bool CancelResting(int account, int market, Holding holding, int index)
    {
        var order = holding.Resting[index];
        holding.Cancel(index);
        holding.OpenOrders--;
        holding.Exposure -= (Int128)order.Price * order.RemainingSize;
        // By client id, not engine id: the flow stays valid when a benchmark repacks one market's transactions into other blocks.
        Add(new Transaction { Kind = TxKind.CancelOrderByClientId, Account = _accounts[account], Market = (uint)market, ClientOrderId = order.ClientOrderId });
        return true;
    }

    /// <summary>A mean-reverting random walk of up to <paramref name="maxMovePpm"/> a step, at the block's clock.</summary>
    private Transaction OracleUpdate(int market, int maxMovePpm)
    {
        var tick = (long)_tick[market];
        var price = _oracle[market];
        var move = (long)_random.Next(-maxMovePpm, maxMovePpm + 1);
        if (_random.Next(100) == 0)
        {
            move *= 5;
        }
        move -= (price - _anchor[market]) * 1_000_000 / _anchor[market] / 50;
        var next = price + price / 1_000_000 * move;
        _oracle[market] = Math.Max(tick * 100, next / tick * tick);
        // Timestamps are the block's clock: within the block's interval, strictly increasing per market.
        var at = Time - BlockIntervalMs + BlockIntervalMs * (ulong)(_txs.Count + 1) / (ulong)_blockTransactions;
        _oracleTime[market] = Math.Max(_oracleTime[market] + 1, Math.Min(at, Time));
        return new Transaction { Kind = TxKind.OracleUpdate, Account = ChainFlowGenerator.Oracle, Market = (uint)market, Price = (ulong)_oracle[market], Timestamp = _oracleTime[market] };
    }

    private Transaction Deposit(int account, long amount) =>
        new() { Kind = TxKind.Deposit, Account = _accounts[account], Amount = (ulong)amount, DepositIndex = _nextDeposit++ };

    private Transaction Transfer(int account, int market, bool toMarket, long amount) =>
        new() { Kind = TxKind.TransferMargin, Account = _accounts[account], Market = (uint)market, Amount = (ulong)amount, ToMarket = toMarket };

    private bool IsMaker(int account) => _makerOf[account] != 0;

    private long Geometric()
    {
        long n = 0;
        while (n < LadderLevels && _random.Next(100) < 60)
        {
            n++;
        }
        return n;
    }

    /// <summary>Appends a transaction with the signer's next nonce, signed in the domain (or with a placeholder).</summary>
    private void Add(Transaction tx)
    {
        if (tx.Kind != TxKind.Deposit)
        {
            tx = tx with { Nonce = _nonces[_indexOf[tx.Account]]++ };
            tx = _domain is null
                ? tx with { Signature = Placeholder }
                : TransactionSigning.Sign(tx, ChainFlowGenerator.KeyOf(KeyNumber(tx.Account)), _domain);
        }
        _txs.Add(tx);
    }

    private int KeyNumber(in Address account)
    {
        var index = _indexOf[account];
        return index < _accounts.Length ? index + 1 : index == _accounts.Length ? 0xFFF0 : 0xFFF1;
    }

    private static readonly Signature Placeholder = new(Enumerable.Repeat((byte)1, Signature.Length).ToArray());

    /// <summary>One participant in one market during the block being written.</summary>
    private sealed class Holding
    {
        private readonly List<bool> _cancelled = [];

        public long Size { get; init; }

        /// <summary>Equity at the mark when the block began, plus margin moved in and minus margin moved out since.</summary>
        public long Equity { get; set; }

        /// <summary>price × size (not divided by the size scale) of the position at the mark, its resting orders and every order placed in the block.</summary>
        public Int128 Exposure { get; set; }

        /// <summary>Orders resting when the block began.</summary>
        public List<OrderView> Resting { get; } = [];

        /// <summary>Quotes placed in this block (a maker's), assumed resting.</summary>
        public List<(bool IsBuy, long Price)> Placed { get; } = [];

        public int OpenOrders { get; set; }

        public bool Reduced { get; set; }

        public bool Cancelled(int index) => index < _cancelled.Count && _cancelled[index];

        public void Cancel(int index)
        {
            while (_cancelled.Count <= index)
            {
                _cancelled.Add(false);
            }
            _cancelled[index] = true;
        }

        public int Quotes(bool isBuy)
        {
            var count = 0;
            for (var i = 0; i < Resting.Count; i++)
            {
                count += !Cancelled(i) && Resting[i].IsBuy == isBuy ? 1 : 0;
            }
            foreach (var placed in Placed)
            {
                count += placed.IsBuy == isBuy ? 1 : 0;
            }
            return count;
        }

        /// <summary>The innermost ladder level with no quote of this side within half a step of it, or -1.</summary>
        public int FirstFreeLevel(bool isBuy, long mid, long spreadPpm, long stepPpm, int levels)
        {
            for (var level = 0; level < levels; level++)
            {
                var away = mid / 1_000_000 * (spreadPpm + level * stepPpm);
                var half = mid / 1_000_000 * stepPpm / 2;
                var taken = false;
                for (var i = 0; i < Resting.Count && !taken; i++)
                {
                    var order = Resting[i];
                    taken = !Cancelled(i) && order.IsBuy == isBuy && Math.Abs((isBuy ? mid - order.Price : order.Price - mid) - away) <= half;
                }
                foreach (var placed in Placed)
                {
                    taken |= placed.IsBuy == isBuy && Math.Abs((isBuy ? mid - placed.Price : placed.Price - mid) - away) <= half;
                }
                if (!taken)
                {
                    return level;
                }
            }
            return -1;
        }
    }
}
