using System.Buffers.Binary;
using System.Collections.Immutable;
using Rollup.Execution.Markets;
using Rollup.Execution.Matching;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Storage;

namespace Rollup.Execution.Blocks.Views;

/// <summary>
/// The state as of one committed block, for readers beside the writer: the head, the roots, the accounts and each
/// market's own fields and positions, as immutable maps updated with what the block wrote, and a RocksDB snapshot taken
/// right after its write batch for the orders' records. Nothing here reads the engine's memory, so a reader never waits for a block being
/// executed and never sees half of one. Leased: <see cref="ExecutionEngine.AcquireView"/> hands one out, and the
/// snapshot is released when the view is superseded and its last lease is released.
/// </summary>
public sealed class CommittedView
{
    private readonly RocksDb<StateColumn> _db;
    private readonly RocksSnapshot _snapshot;
    private readonly IReadOnlyDictionary<uint, MarketView> _markets;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<uint, Lazy<MarketOrders>> _orders = new();
    private int _references = 1; // the engine's, until a newer view supersedes this one

    internal CommittedView(
        RocksDb<StateColumn> db, ChainHead head, ulong nextSequence, Hash256 accountsRoot, Hash256 marketsRoot,
        ImmutableDictionary<Address, AccountView> accounts, SortedDictionary<uint, MarketView> markets)
    {
        Accounts = accounts;
        _db = db;
        _snapshot = db.CreateSnapshot();
        Head = head;
        NextSequence = nextSequence;
        AccountsRoot = accountsRoot;
        MarketsRoot = marketsRoot;
        _markets = markets;
    }

    public ChainHead Head { get; }

    /// <summary>The sequence number of the next transaction to execute after this block.</summary>
    public ulong NextSequence { get; }

    public Hash256 AccountsRoot { get; }

    public Hash256 MarketsRoot { get; }

    /// <summary>Every account's free balance and nonce window.</summary>
    internal ImmutableDictionary<Address, AccountView> Accounts { get; }

    /// <summary>Every market, by id.</summary>
    public IEnumerable<MarketView> Markets => _markets.Values;

    public bool TryGetMarket(uint id, out MarketView market) => _markets.TryGetValue(id, out market!);

    public bool TryGetAccount(in Address account, out AccountView view) => Accounts.TryGetValue(account, out view);

    public bool TryGetPosition(uint market, in Address account, out PositionView position)
    {
        if (_markets.TryGetValue(market, out var view))
        {
            return view.TryGetPosition(account, out position);
        }
        position = default;
        return false;
    }

    public bool TryGetOrder(uint market, ulong orderId, out OrderView order)
    {
        Span<byte> key = stackalloc byte[StateKeys.OrderKeyLength];
        StateKeys.Order(market, orderId, key);
        using var value = _db.GetPinned(StateColumn.Orders, key, _snapshot);
        order = value.Exists ? ToView(orderId, value.Span) : default;
        return value.Exists;
    }

    public bool TryGetOrderByClientId(uint market, in Address account, ulong clientOrderId, out OrderView order)
    {
        foreach (var candidate in OrdersOf(market).Of(account))
        {
            if (candidate.ClientOrderId == clientOrderId)
            {
                order = candidate;
                return true;
            }
        }
        order = default;
        return false;
    }

    /// <summary>The market's resting orders (of one account, or all) in priority order: bids, best first, then asks; at a price, oldest first.</summary>
    public List<OrderView> Orders(uint market, Address? account = null)
    {
        var orders = OrdersOf(market);
        return [.. account is { } owner ? orders.Of(owner) : orders.All];
    }

    /// <summary>How many orders of <paramref name="account"/> rest in the market.</summary>
    public int OpenOrderCount(uint market, in Address account) => _markets.TryGetValue(market, out var view) ? view.OpenOrderCount(account) : 0;

    /// <summary>
    /// The best <paramref name="depth"/> price levels of each side, aggregated, best first: from the market's view up to
    /// <see cref="MarketView.Depth"/>, deeper from its orders' records.
    /// </summary>
    public (List<BookLevel> Bids, List<BookLevel> Asks) Levels(uint market, int depth)
    {
        if (depth <= MarketView.Depth && _markets.TryGetValue(market, out var view))
        {
            return ([.. view.Bids.Take(depth)], [.. view.Asks.Take(depth)]);
        }
        var orders = OrdersOf(market);
        return ([.. orders.Bids.Take(depth)], [.. orders.Asks.Take(depth)]);
    }

    /// <summary>A lease on this view; false once it is released for good (take the engine's newer one).</summary>
    internal bool TryAcquire()
    {
        while (true)
        {
            var count = Volatile.Read(ref _references);
            if (count == 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _references, count + 1, count) == count)
            {
                return true;
            }
        }
    }

    /// <summary>Ends a lease (or the engine's reference, when a newer view supersedes this one); the last releases the snapshot.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _snapshot.Dispose();
        }
    }

    /// <summary>The market's orders, read from the snapshot by the first reader that asks and kept for the others.</summary>
    private MarketOrders OrdersOf(uint market) =>
        _orders.GetOrAdd(market, static (id, view) => new Lazy<MarketOrders>(() => view.ReadOrders(id)), this).Value;

    private MarketOrders ReadOrders(uint market)
    {
        var orders = new List<OrderView>();
        Span<byte> prefix = stackalloc byte[sizeof(uint)];
        StateKeys.Market(market, prefix);
        using var iterator = _db.CreatePrefixIterator(StateColumn.Orders, prefix, _snapshot);
        for (var valid = iterator.SeekToFirst(); valid; valid = iterator.Next())
        {
            orders.Add(ToView(BinaryPrimitives.ReadUInt64BigEndian(iterator.Key[sizeof(uint)..]), iterator.Value));
        }
        return new MarketOrders(orders);
    }

    private static OrderView ToView(ulong orderId, ReadOnlySpan<byte> record)
    {
        var (account, isBuy, price, size, clientOrderId, reduceOnly) = StateRecords.DecodeOrder(record);
        return new OrderView(orderId, account, isBuy, price, size, clientOrderId, reduceOnly);
    }
}

/// <summary>An account as a block left it: its free balance, nonce window and held credits (docs/state.md, "Held credits").</summary>
public readonly record struct AccountView(long FreeBalance, ReplayWindow Nonces, HeldCredit[] Held)
{
    public static AccountView Of(AccountState account) => new(account.FreeBalance, account.Nonces, account.Held.ToArray());
}
