using Rollup.Execution.Blocks;
using Rollup.Execution.Matching;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Markets;

/// <summary>
/// One isolated market: its parameters, prices, order book, positions, insurance fund and fee pool.
/// Everything a market's transactions touch is in here, so markets execute in parallel and a fault in one
/// cannot reach another. The insurance fund is the position of <see cref="Address.Zero"/>, which no one can sign for.
/// </summary>
public sealed partial class Market
{
    private readonly Dictionary<Address, PositionState> _positions = [];
    private readonly List<PositionState> _positionsByIndex = [];
    private readonly Dictionary<ulong, OrderInfo> _orders = [];
    private readonly Dictionary<(uint Account, ulong ClientOrderId), ulong> _clientOrderIds = [];
    private readonly HashSet<Address> _dirtyPositions = [];
    /// <summary>Orders changed since the last commit; true for those placed since then, which have no record or leaf yet.</summary>
    private readonly Dictionary<ulong, bool> _dirtyOrders = [];

    public Market(uint id, MarketParams parameters)
    {
        Id = id;
        Params = parameters;
        Book = new FastOrderBook(new OrderBookLimits((int)parameters.MaxBookOrders, (int)parameters.MaxBookLevels));
        GetOrCreatePosition(Address.Zero);
    }

    public uint Id { get; }

    public MarketParams Params { get; private set; }

    public HaltReason HaltReason { get; private set; }

    /// <summary>Only cancels, oracle updates and margin moves are accepted while halted or paused.</summary>
    public bool IsCancelOnly => HaltReason != HaltReason.None;

    public long OraclePrice { get; private set; }

    public ulong OracleTimestamp { get; private set; }

    public long MarkPrice { get; private set; }

    /// <summary>Fees collected in this market, collateral base units.</summary>
    public long FeePool { get; private set; }

    /// <summary>Collateral moved into this market minus collateral moved out: what its pools must add up to.</summary>
    public long NetTransfersIn { get; private set; }

    public ulong LastFundingBlock { get; private set; }

    public ulong HaltWindowStartBlock { get; private set; }

    public long HaltWindowStartMark { get; private set; }

    internal IOrderBook Book { get; }

    public long InsuranceFund => _positionsByIndex[0].Collateral;

    /// <summary>Σ collateral of every position including the fund's, plus fees and the funding pool: equals <see cref="NetTransfersIn"/>.</summary>
    public long TotalCollateral
    {
        get
        {
            var total = FeePool + FundingPool;
            foreach (var position in _positionsByIndex)
            {
                total += position.Collateral;
            }
            return total;
        }
    }

    public int PositionCount => _positions.Count;

    public int RestingOrderCount => Book.OrderCount;

    internal PositionState Fund => _positionsByIndex[0];

    internal IReadOnlyList<PositionState> PositionsByIndex => _positionsByIndex;

    /// <summary>Accounts whose position changed since the last commit (unordered: sort before writing).</summary>
    internal IReadOnlyCollection<Address> DirtyPositions => _dirtyPositions;

    /// <summary>Orders placed (true), or changed or removed (false), since the last commit (unordered).</summary>
    internal IReadOnlyDictionary<ulong, bool> DirtyOrders => _dirtyOrders;

    internal bool RecordDirty { get; private set; }

    /// <summary>Position of an account, if it has one.</summary>
    public bool TryGetPosition(in Address account, out long size, out long collateral)
    {
        if (_positions.TryGetValue(account, out var position))
        {
            size = position.Size;
            collateral = position.Collateral;
            return true;
        }
        size = collateral = 0;
        return false;
    }

    internal bool TryGetPosition(in Address account, out PositionState position) =>
        _positions.TryGetValue(account, out position!);

    internal PositionState GetOrCreatePosition(in Address account)
    {
        if (!_positions.TryGetValue(account, out var position))
        {
            position = new PositionState(account, (uint)_positionsByIndex.Count);
            _positions.Add(account, position);
            _positionsByIndex.Add(position);
        }
        return position;
    }

    internal void MarkDirty(PositionState position)
    {
        _dirtyPositions.Add(position.Account);
        _riskStale.Add(position);
    }

    internal void MarkRecordDirty() => RecordDirty = true;

    internal void MarkOrderPlaced(ulong orderId) => _dirtyOrders[orderId] = true;

    /// <summary>
    /// An order's remaining size changed, or it left the book. An order placed since the last commit and gone
    /// again was never written: it is forgotten, so the commit writes no delete (RocksDB would store a
    /// tombstone) and the tree no removal of an absent key; both are no-ops on the state and its roots.
    /// </summary>
    internal void MarkOrderChanged(ulong orderId, bool removed)
    {
        if (_dirtyOrders.TryGetValue(orderId, out var placedSinceCommit) && placedSinceCommit)
        {
            if (removed)
            {
                _dirtyOrders.Remove(orderId);
            }
            return;
        }
        _dirtyOrders[orderId] = false;
    }

    internal void ClearDirty()
    {
        _dirtyPositions.Clear();
        _dirtyOrders.Clear();
        RecordDirty = false;
    }

    /// <summary>What the engine keeps about a resting order beyond what the book holds.</summary>
    internal readonly record struct OrderInfo(uint Account, ulong ClientOrderId, bool ReduceOnly);
}
