using Rollup.Execution.Markets;
using Rollup.Execution.Parallel;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.State.Proofs;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Storage;

namespace Rollup.Execution.Blocks;

/// <summary>
/// The deterministic state machine: executes blocks against RocksDB state and produces receipts, events and
/// roots. A block runs in three phases (docs/execution.md): A, account-level work in transaction order;
/// B, every touched market as its own shard, in parallel; C, margin releases in transaction order, then one
/// write batch with every table and tree change, committed atomically with the new chain head.
/// Not thread-safe: one caller executes blocks.
/// </summary>
public sealed partial class ExecutionEngine : IDisposable
{
    private readonly RocksDb<StateColumn> _db;
    private readonly EngineOptions _options;
    private readonly Eip712Domain _domain;
    private readonly HashSet<Address> _operators;
    private readonly WorkerPool _workers;
    private readonly Dictionary<Address, AccountState> _accounts = [];
    private readonly SortedDictionary<uint, Market> _markets = [];
    private readonly HashSet<Address> _dirtyAccounts = [];
    private readonly RocksMerkleNodeStore _accountsStore;
    private readonly SparseMerkleTree _accountsTree;
    private readonly RocksMerkleNodeStore _marketRootsStore;
    private readonly SparseMerkleTree _marketRootsTree;
    private readonly Dictionary<uint, (RocksMerkleNodeStore Store, SparseMerkleTree Tree)> _marketTrees = [];
    private ChainHead _head;

    private ExecutionEngine(RocksDb<StateColumn> db, EngineOptions options)
    {
        _db = db;
        _options = options;
        _domain = RollupDomain.Create(options.ChainId, options.SettlementContract);
        _operators = [.. options.Operators];
        _workers = new WorkerPool(options.Workers);
        _accountsStore = new RocksMerkleNodeStore(db, StateTrees.AccountsTreeId());
        _accountsTree = new SparseMerkleTree(_accountsStore);
        _marketRootsStore = new RocksMerkleNodeStore(db, StateTrees.MarketRootsTreeId());
        _marketRootsTree = new SparseMerkleTree(_marketRootsStore);
        _head = new ChainHead();
    }

    public ChainHead Head => _head;

    public Eip712Domain Domain => _domain;

    public EngineOptions Options => _options;

    /// <summary>Opens (or creates) the state in <paramref name="directory"/> and loads it into memory.</summary>
    public static ExecutionEngine Open(string directory, EngineOptions options)
    {
        var db = RocksDb.Open<StateColumn>(directory);
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

    public Hash256 MarketRoot(uint market) => MarketTree(market).Tree.Root;

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

    /// <summary>The account's record and its path to the current state root; null if it has no record.</summary>
    public AccountProof? ProveAccount(in Address account)
    {
        var record = _db.Get(StateColumn.Accounts, account.Bytes);
        return record is null ? null : new AccountProof(account, record, _accountsTree.GetProof(StateTrees.AccountKey(account)), MarketsRoot);
    }

    /// <summary>The position's record and its path through its market's root to the current state root; null if none.</summary>
    public PositionProof? ProvePosition(uint market, in Address account)
    {
        Span<byte> key = stackalloc byte[StateKeys.PositionKeyLength];
        StateKeys.Position(market, account, key);
        var record = _db.Get(StateColumn.Positions, key);
        return record is null ? null : new PositionProof(market, account, record,
            MarketTree(market).Tree.GetProof(StateTrees.PositionKey(account)), _marketRootsTree.GetProof(StateTrees.MarketRootKey(market)), AccountsRoot);
    }

    public void Dispose()
    {
        _workers.Dispose();
        _db.Dispose();
    }

    private (RocksMerkleNodeStore Store, SparseMerkleTree Tree) MarketTree(uint market)
    {
        if (!_marketTrees.TryGetValue(market, out var tree))
        {
            var store = new RocksMerkleNodeStore(_db, StateTrees.MarketTreeId(market));
            tree = (store, new SparseMerkleTree(store));
            _marketTrees.Add(market, tree);
        }
        return tree;
    }

    private void Load()
    {
        _head = ChainHeadRecord.Read(_db) ?? new ChainHead();
        using (var accounts = _db.CreateIterator(StateColumn.Accounts))
        {
            for (var valid = accounts.SeekToFirst(); valid; valid = accounts.Next())
            {
                _accounts.Add(new Address(accounts.Key), StateRecords.DecodeAccount(accounts.Value));
            }
        }
        using var markets = _db.CreateIterator(StateColumn.Markets);
        for (var valid = markets.SeekToFirst(); valid; valid = markets.Next())
        {
            var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(markets.Key);
            _markets.Add(id, Market.Load(_db, id, markets.Value));
        }
    }
}
