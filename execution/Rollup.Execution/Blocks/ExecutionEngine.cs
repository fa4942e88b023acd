using Rollup.Execution.Blocks.Views;
using Rollup.Execution.Markets;
using Rollup.Execution.Parallel;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.State.Proofs;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Storage;

namespace Rollup.Execution.Blocks;

/// <summary>
/// The deterministic state machine: executes blocks against RocksDB state and produces receipts, events and
/// roots. A block runs in three phases (docs/execution.md): A, account-level work in transaction order;
/// B, every touched market as its own shard, in parallel; C, margin releases in transaction order, then one
/// write batch with every table and tree change, committed atomically with the new chain head.
/// Not thread-safe: one caller executes blocks.
/// </summary>
public sealed partial class ExecutionEngine : IBlockStore, IDisposable
{
    private readonly RocksDb<StateColumn> _db;
    private readonly EngineOptions _options;
    private readonly Eip712Domain _domain;
    private readonly HashSet<Address> _operators;
    private readonly WorkerPool _workers;
    private readonly Dictionary<Address, AccountState> _accounts = [];
    private readonly SortedDictionary<uint, Market> _markets = [];
    private readonly HashSet<Address> _dirtyAccounts = [];
    private readonly StateTree _accountsTree = new();
    private readonly StateTree _marketRootsTree = new();
    private readonly Dictionary<uint, StateTree> _marketTrees = [];
    private ChainHead _head;
    private ulong _nextSequence;
    private CommittedView? _view;
    private readonly List<KeyValuePair<Address, AccountView>> _committedAccounts = [];

    private ExecutionEngine(RocksDb<StateColumn> db, EngineOptions options)
    {
        _db = db;
        _options = options;
        _domain = RollupDomain.Create(options.ChainId, options.SettlementContract);
        _operators = [.. options.Operators];
        _workers = new WorkerPool(options.Workers);
        _head = new ChainHead();
    }

    public ChainHead Head => _head;

    public Eip712Domain Domain => _domain;

    public EngineOptions Options => _options;

    /// <summary>
    /// Opens (or creates) the state in <paramref name="directory"/> and loads it into memory: every record, and the
    /// state trees rebuilt from them (the database holds no tree nodes; docs/state.md). Throws
    /// <see cref="InvalidDataException"/> when the rebuilt state root is not the stored head's.
    /// </summary>
    public static ExecutionEngine Open(string directory, EngineOptions options)
    {
        var db = RocksDb.Open<StateColumn>(directory, new RocksDbOptions { Columns = new ColumnOptions { WriteBufferBytes = options.StorageWriteBufferBytes } });
        try
        {
            var engine = new ExecutionEngine(db, options);
            engine.Load();
            return engine;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public Hash256 AccountsRoot => _accountsTree.Root;

    public Hash256 MarketsRoot => _marketRootsTree.Root;

    public Hash256 MarketRoot(uint market) => MarketTree(market).Root;

    public bool TryGetFreeBalance(in Address account, out long balance)
    {
        var found = _accounts.TryGetValue(account, out var state);
        balance = found ? state!.FreeBalance : 0;
        return found;
    }

    /// <summary>The signer's nonce window as of the last executed block; fresh when it has never signed.</summary>
    public bool TryGetNonceWindow(in Address account, out ReplayWindow window)
    {
        var found = _accounts.TryGetValue(account, out var state);
        window = found ? state!.Nonces : default;
        return found;
    }

    public bool TryGetMarket(uint id, out Market market) => _markets.TryGetValue(id, out market!);

    public IEnumerable<Market> Markets => _markets.Values;

    /// <summary>Σ free balances + every market's collateral, insurance fund and fees: always deposits − withdrawals.</summary>
    public long TotalCollateral()
    {
        var total = 0L;
        foreach (var account in _accounts.Values)
        {
            total += account.FreeBalance;
        }
        foreach (var market in _markets.Values)
        {
            total += market.TotalCollateral;
        }
        return total;
    }

    /// <summary>An executed block with its inputs and receipts, or null if this node has not executed it.</summary>
    public BlockRecord? GetBlock(ulong number) => BlockRecord.Read(_db, number);

    /// <summary>The head's block number; set only once the block's records are committed, so <see cref="GetBlock"/> of it never misses.</summary>
    public ulong HeadBlock => Volatile.Read(ref _head).BlockNumber;

    /// <summary>The sequence number of the next transaction to execute: how many the executed blocks hold.</summary>
    public ulong NextSequence => _nextSequence;

    /// <summary>Where the executed transaction with this hash is; null if no executed block holds it.</summary>
    public TxLocation? FindTransaction(in Hash256 txHash) => TransactionIndex.ByHash(_db, txHash);

    /// <summary>Where the executed transaction with this sequence number is; null if no executed block holds it.</summary>
    public TxLocation? FindTransaction(ulong sequence) => TransactionIndex.BySequence(_db, sequence);

    /// <summary>The account's record and its path to the current state root; null if it has no record.</summary>
    public AccountProof? ProveAccount(in Address account)
    {
        var record = _db.Get(StateColumn.Accounts, account.Bytes);
        return record is null ? null : new AccountProof(account, record, _accountsTree.Tree.GetProof(StateTrees.AccountKey(account)), MarketsRoot);
    }

    /// <summary>The position's record and its path through its market's root to the current state root; null if none.</summary>
    public PositionProof? ProvePosition(uint market, in Address account)
    {
        Span<byte> key = stackalloc byte[StateKeys.PositionKeyLength];
        StateKeys.Position(market, account, key);
        var record = _db.Get(StateColumn.Positions, key);
        return record is null ? null : new PositionProof(market, account, record,
            MarketTree(market).Tree.GetProof(StateTrees.PositionKey(account)), _marketRootsTree.Tree.GetProof(StateTrees.MarketRootKey(market)), AccountsRoot);
    }

    /// <summary>
    /// Writes the state's memtables to synced SST files: afterwards nothing committed so far depends on the write-ahead
    /// log (which is not synced per block). Safe beside a block being executed.
    /// </summary>
    public void FlushToDisk() => _db.Flush();

    /// <summary>
    /// A lease on the view of the last committed block (<see cref="CommittedView"/>), safe beside a block being executed;
    /// release it with <see cref="ReleaseView"/>. Null before the state is loaded.
    /// </summary>
    public CommittedView? AcquireView()
    {
        while (Volatile.Read(ref _view) is { } view)
        {
            if (view.TryAcquire())
            {
                return view;
            }
        }
        return null;
    }

    public static void ReleaseView(CommittedView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.Release();
    }

    /// <summary>Publishes the view of the block just committed; the markets in <paramref name="touched"/> (all when null) are copied afresh.</summary>
    private void PublishView(IReadOnlyList<uint>? touched)
    {
        var previous = _view;
        var markets = new SortedDictionary<uint, MarketView>();
        foreach (var (id, market) in _markets)
        {
            MarketView? kept = null;
            var known = previous is not null && touched is not null && previous.TryGetMarket(id, out kept);
            markets[id] = known && !Contains(touched!, id) ? kept! : MarketView.Of(market, MarketTree(id).Root, known ? kept : null);
        }
        System.Collections.Immutable.ImmutableDictionary<Address, AccountView> accounts;
        if (previous is null || touched is null)
        {
            var all = System.Collections.Immutable.ImmutableDictionary.CreateBuilder<Address, AccountView>();
            foreach (var (address, account) in _accounts)
            {
                all[address] = AccountView.Of(account);
            }
            accounts = all.ToImmutable();
        }
        else
        {
            accounts = previous.Accounts.SetItems(_committedAccounts);
        }
        Volatile.Write(ref _view, new CommittedView(_db, _head, _nextSequence, AccountsRoot, MarketsRoot, accounts, markets));
        previous?.Release();

        static bool Contains(IReadOnlyList<uint> ids, uint id)
        {
            for (var i = 0; i < ids.Count; i++)
            {
                if (ids[i] == id)
                {
                    return true;
                }
            }
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _view, null) is { } view)
        {
            view.Release();
        }
        _workers.Dispose();
        _db.Dispose();
    }

    private StateTree MarketTree(uint market)
    {
        if (!_marketTrees.TryGetValue(market, out var tree))
        {
            tree = new StateTree();
            _marketTrees.Add(market, tree);
        }
        return tree;
    }

    private void Load()
    {
        var head = ChainHeadRecord.Read(_db);
        _head = head ?? new ChainHead();
        _nextSequence = TransactionIndex.Open(_db, _head.BlockNumber);
        var accountLeaves = new List<MerkleUpdate>();
        using (var accounts = _db.CreateIterator(StateColumn.Accounts))
        {
            for (var valid = accounts.SeekToFirst(); valid; valid = accounts.Next())
            {
                var address = new Address(accounts.Key);
                _accounts.Add(address, StateRecords.DecodeAccount(accounts.Value));
                accountLeaves.Add(new MerkleUpdate(StateTrees.AccountKey(address), Keccak256.Compute(accounts.Value)));
            }
        }
        var trees = new List<StateTree> { _accountsTree };
        var leaves = new List<List<MerkleUpdate>> { accountLeaves };
        using (var markets = _db.CreateIterator(StateColumn.Markets))
        {
            for (var valid = markets.SeekToFirst(); valid; valid = markets.Next())
            {
                var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(markets.Key);
                var marketLeaves = new List<MerkleUpdate>();
                var market = Market.Load(_db, id, markets.Value, marketLeaves);
                market.Layout = _options.KeepProvableLayout ? MarketLayout.Of(market) : null;
                _markets.Add(id, market);
                trees.Add(MarketTree(id));
                leaves.Add(marketLeaves);
            }
        }
        _workers.Run(new TreeRebuildJob([.. trees], [.. leaves]), trees.Count);

        var marketRoots = new List<MerkleUpdate>(_markets.Count);
        foreach (var id in _markets.Keys)
        {
            marketRoots.Add(new MerkleUpdate(StateTrees.MarketRootKey(id), _marketTrees[id].Root));
        }
        _marketRootsTree.Rebuild(marketRoots);
        if (head is not null && StateTrees.StateRoot(AccountsRoot, MarketsRoot) != head.StateRoot)
        {
            throw new InvalidDataException(
                $"the state trees rebuilt from the records give a state root other than block {head.BlockNumber}'s {head.StateRoot}: the state database is corrupt");
        }
        PublishView(touched: null);
    }

    /// <summary>Rebuilds state trees from their leaves, one tree per item (trees are independent).</summary>
    private sealed class TreeRebuildJob(StateTree[] trees, List<MerkleUpdate>[] leaves) : IParallelJob
    {
        public void Execute(int index) => trees[index].Rebuild(leaves[index]);
    }
}
