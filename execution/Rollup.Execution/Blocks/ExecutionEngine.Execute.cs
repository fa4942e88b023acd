using Rollup.Execution.Blocks.Views;
using System.Diagnostics;
using Rollup.Execution.Markets;
using Rollup.Execution.Parallel;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Blocks;

public sealed partial class ExecutionEngine
{
    /// <summary>Executes the next block and commits it. Throws only for a block that cannot follow the head.</summary>
    public BlockResult Execute(Block block) => Execute(block, verdicts: null);

    /// <summary>
    /// Executes again a block another engine of the chain executed, taking whether each signature recovers from that
    /// engine's receipts (a signature was bad exactly where it said <see cref="TxStatus.BadSignature"/>) instead of
    /// recovering every signer again: what a second engine following a node's own store does. The caller holds the
    /// result to the stored state root, so a receipt that lied could not pass unseen.
    /// </summary>
    public BlockResult Replay(BlockRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Receipts.Length != record.Block.Transactions.Length)
        {
            throw new ArgumentException($"block {record.Block.Number} has {record.Block.Transactions.Length} transactions and {record.Receipts.Length} receipts", nameof(record));
        }
        return Execute(record.Block, record.Receipts);
    }

    private BlockResult Execute(Block block, Receipt[]? verdicts)
    {
        if (block.Number != _head.BlockNumber + 1)
        {
            throw new ArgumentException($"block {block.Number} does not follow the head {_head.BlockNumber}", nameof(block));
        }
        if (block.Timestamp < _head.Timestamp)
        {
            throw new ArgumentException($"block {block.Number} time {block.Timestamp} is before the head's {_head.Timestamp}", nameof(block));
        }
        if (block.Transactions.Length > _options.MaxTransactionsPerBlock)
        {
            throw new ArgumentException($"block {block.Number} has {block.Transactions.Length} transactions, more than {_options.MaxTransactionsPerBlock}", nameof(block));
        }

        var run = new BlockRun(block)
        {
            NextDepositIndex = _head.NextDepositIndex,
            TotalDeposits = _head.TotalDeposits,
            TotalWithdrawals = _head.TotalWithdrawals,
        };
        var start = Stopwatch.GetTimestamp();
        if (verdicts is null)
        {
            VerifySignatures(run);
        }
        else
        {
            for (var i = 0; i < verdicts.Length; i++)
            {
                run.SignatureValid[i] = verdicts[i].Status != TxStatus.BadSignature;
            }
        }
        var signed = Stopwatch.GetTimestamp();
        RunAccountPhase(run);
        var accounts = Stopwatch.GetTimestamp();
        RunMarketPhase(run);
        var markets = Stopwatch.GetTimestamp();
        var result = Commit(run, out var batchCommit);
        LastPhaseTimes = new BlockPhaseTimes(signed - start, accounts - signed, markets - accounts, Stopwatch.GetTimestamp() - markets, batchCommit);
        return result;
    }

    /// <summary>Where the last block's time went (the engine benchmark reports it).</summary>
    internal BlockPhaseTimes LastPhaseTimes { get; private set; }

    private void VerifySignatures(BlockRun run)
    {
        if (!_options.VerifySignatures)
        {
            Array.Fill(run.SignatureValid, true);
            return;
        }
        _workers.Run(new SignatureJob(run, _domain), run.Block.Transactions.Length);
    }

    /// <summary>Phase A: authentication, nonces and account-level transactions, strictly in order; market work is routed.</summary>
    private void RunAccountPhase(BlockRun run)
    {
        var transactions = run.Block.Transactions;
        for (var i = 0; i < transactions.Length; i++)
        {
            ref readonly var tx = ref transactions[i];
            // A signed transaction's nonce is spent before anything else is decided, as admission spends it: a
            // transaction refused later (not the operator, not an oracle signer, no margin) can never come back.
            var status = CheckSignature(tx, run.SignatureValid[i]);
            if (status == TxStatus.Accepted && tx.Kind != TxKind.Deposit)
            {
                status = ConsumeNonce(GetOrCreateAccount(tx.Account), tx.Nonce);
            }
            if (status == TxStatus.Accepted)
            {
                status = Authorize(tx);
            }
            if (status != TxStatus.Accepted)
            {
                run.Receipts[i] = new Receipt(i, status);
                continue;
            }
            var executed = ExecuteAccountLevel(tx, i, run);
            run.Receipts[i] = tx.Kind == TxKind.Withdraw && executed == TxStatus.Accepted
                ? new Receipt(i, executed, Drawn: run.Withdrawals[^1].Drawn)
                : new Receipt(i, executed);
        }
    }

    private static TxStatus ConsumeNonce(AccountState account, ulong nonce)
    {
        account.Nonces.TryConsume(nonce, out var error);
        return TxStatuses.Of(error);
    }

    private static TxStatus CheckSignature(in Transaction tx, bool signatureValid) =>
        tx.Kind == TxKind.Deposit || (signatureValid && tx.Kind.IsDefined()) ? TxStatus.Accepted : TxStatus.BadSignature;

    /// <summary>
    /// Whether the signer may send this kind: the operator for market administration. A market's oracle signers are
    /// its own state, so the market checks an OracleUpdate's signer (docs/steps.md).
    /// </summary>
    private TxStatus Authorize(in Transaction tx) =>
        tx.Kind.IsMarketAdministration() && !_operators.Contains(tx.Account) ? TxStatus.NotOperator : TxStatus.Accepted;

    /// <summary>Executes what phase A owns; routes market work and returns Accepted for it (the market sets the final receipt).</summary>
    private TxStatus ExecuteAccountLevel(in Transaction tx, int index, BlockRun run)
    {
        switch (tx.Kind)
        {
            case TxKind.Deposit:
                return Deposit(tx, run);
            case TxKind.Withdraw:
                return Withdraw(tx, index, run);
            case TxKind.CreateMarket:
                return CreateMarket(tx, run);
            case TxKind.TransferMargin when tx.ToMarket:
                if (!_markets.ContainsKey(tx.Market))
                {
                    return TxStatus.UnknownMarket;
                }
                var debit = AccountFunds.TransferIn(GetOrCreateAccount(tx.Account), tx.Market, tx.Amount, run.Block.Number);
                if (debit != TxStatus.Accepted)
                {
                    return debit;
                }
                run.Route(tx.Market, index, tx);
                return TxStatus.Accepted;
            case TxKind.TransferMargin:
                if (!_markets.ContainsKey(tx.Market))
                {
                    return TxStatus.UnknownMarket;
                }
                var held = AccountFunds.TransferOut(GetOrCreateAccount(tx.Account), tx.Market, run.Block.Number);
                if (held != TxStatus.Accepted)
                {
                    return held;
                }
                run.Route(tx.Market, index, tx);
                return TxStatus.Accepted;
            default:
                if (!_markets.ContainsKey(tx.Market))
                {
                    return TxStatus.UnknownMarket;
                }
                run.Route(tx.Market, index, tx);
                return TxStatus.Accepted;
        }
    }

    private TxStatus Deposit(in Transaction tx, BlockRun run)
    {
        if (tx.DepositIndex != run.NextDepositIndex)
        {
            return TxStatus.DepositOutOfOrder;
        }
        if (tx.Amount > long.MaxValue || run.TotalDeposits > long.MaxValue - (long)tx.Amount)
        {
            return TxStatus.Overflow;
        }
        run.NextDepositIndex++;
        run.TotalDeposits += (long)tx.Amount;
        var account = GetOrCreateAccount(tx.Account);
        account.FreeBalance += (long)tx.Amount;
        return TxStatus.Accepted;
    }

    private TxStatus Withdraw(in Transaction tx, int index, BlockRun run)
    {
        var status = AccountFunds.Withdraw(GetOrCreateAccount(tx.Account), tx.Amount, run.Block.Number, out var drawn);
        if (status == TxStatus.Accepted)
        {
            run.TotalWithdrawals += (long)tx.Amount;
            run.Withdrawals.Add(new Withdrawal(run.Block.Number, index, tx.Account, (long)tx.Amount, drawn));
        }
        return status;
    }

    /// <summary>A margin reply from <paramref name="market"/>: free, and held for that market (docs/state.md, "Held credits").</summary>
    private void CreditFromMarket(in Address address, uint market, ulong block, long amount)
    {
        var credited = AccountFunds.Credit(GetOrCreateAccount(address), market, block, amount);
        Debug.Assert(credited, "a reply found no held entry: its transfer reserved one");
    }

    private AccountState GetOrCreateAccount(in Address address)
    {
        if (!_accounts.TryGetValue(address, out var account))
        {
            account = new AccountState();
            _accounts.Add(address, account);
        }
        _dirtyAccounts.Add(address);
        return account;
    }

    private TxStatus CreateMarket(in Transaction tx, BlockRun run)
    {
        if (_markets.ContainsKey(tx.Market))
        {
            return TxStatus.MarketExists;
        }
        if (tx.Params is null || !MarketParamsRules.AreValid(tx.Params))
        {
            return TxStatus.InvalidMarketParams;
        }
        var market = new Market(tx.Market, tx.Params);
        market.MarkRecordDirty();
        market.Layout = _options.KeepProvableLayout ? MarketLayout.Of(market) : null;
        _markets.Add(tx.Market, market);
        run.Created.Add(tx.Market);
        return TxStatus.Accepted;
    }

    /// <summary>Phase B: every market with work this block, each on one worker, none touching another.</summary>
    private void RunMarketPhase(BlockRun run)
    {
        foreach (var (id, market) in _markets)
        {
            if (run.Routed.ContainsKey(id) || run.Created.Contains(id) || market.IsFundingDue(run.Block.Number))
            {
                run.Touched.Add(id);
            }
        }
        var shards = new MarketShard[run.Touched.Count];
        for (var i = 0; i < shards.Length; i++)
        {
            var id = run.Touched[i];
            var context = new MarketBlockContext(run.Block.Number, run.Block.Timestamp, run.Receipts) { OrderSlots = run.OrderSlots };
            shards[i] = new MarketShard(_markets[id], run.Routed.TryGetValue(id, out var txs) ? txs : [], context, MarketTree(id), _options.InjectFault);
        }
        run.Shards = shards;
        _workers.Run(new MarketJob(shards), shards.Length);
    }

    /// <summary>Phase C: faults contained, margin released, everything written in one batch with the new head.</summary>
    private BlockResult Commit(BlockRun run, out long batchCommitTicks)
    {
        var events = new List<ExecutionEvent>();
        var releases = new List<MarginRelease>();
        var faulted = new List<uint>();
        foreach (var shard in run.Shards)
        {
            if (shard.Fault is not null)
            {
                ContainFault(shard, run);
                faulted.Add(shard.Market.Id);
            }
            events.AddRange(shard.Context.Events);
            releases.AddRange(shard.Context.Releases);
        }
        releases.Sort(static (a, b) => a.TxIndex.CompareTo(b.TxIndex));
        foreach (var release in releases)
        {
            CreditFromMarket(release.Account, release.Market, run.Block.Number, release.Amount);
        }

        using var batch = _db.CreateWriteBatch();
        var marketRoots = new List<MerkleUpdate>(run.Shards.Length);
        var touchedRoots = new MarketRoot[run.Shards.Length];
        for (var i = 0; i < run.Shards.Length; i++)
        {
            var shard = run.Shards[i];
            shard.Writes.WriteTo(batch);
            marketRoots.Add(new MerkleUpdate(StateTrees.MarketRootKey(shard.Market.Id), shard.Root));
            touchedRoots[i] = new MarketRoot(shard.Market.Id, shard.Root);
        }
        Array.Sort(touchedRoots, static (a, b) => a.Market.CompareTo(b.Market));
        var marketsRoot = _marketRootsTree.Tree.Update(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(marketRoots));
        var accountsRoot = CommitAccounts(batch);
        var withdrawalsRoot = WithdrawalsRoot(run.Withdrawals);

        var stateRoot = StateTrees.StateRoot(accountsRoot, marketsRoot);
        var head = new ChainHead
        {
            BlockNumber = run.Block.Number,
            Timestamp = run.Block.Timestamp,
            StateRoot = stateRoot,
            NextDepositIndex = run.NextDepositIndex,
            TotalDeposits = run.TotalDeposits,
            TotalWithdrawals = run.TotalWithdrawals,
        };
        ChainHeadRecord.Write(head, batch);
        var result = new BlockResult(run.Block.Number, run.Block.Timestamp, stateRoot, accountsRoot, marketsRoot, withdrawalsRoot, touchedRoots,
            run.Receipts, events, run.Withdrawals, faulted);
        BlockRecord.Write(result, run.Block, run.NextDepositIndex, batch);
        TransactionIndex.Write(run.Block, _nextSequence, batch);
        var commitStart = Stopwatch.GetTimestamp();
        batch.Commit();
        // Published after the commit: a reader beside the writer that sees this head finds its block in the store.
        Volatile.Write(ref _head, head);
        _nextSequence += (ulong)run.Block.Transactions.Length;
        PublishView(TouchedIds(run.Shards));
        batchCommitTicks = Stopwatch.GetTimestamp() - commitStart;
        Debug.Assert(TotalCollateral() == _head.TotalDeposits - _head.TotalWithdrawals, "collateral is not conserved");
        return result;
    }

    private static uint[] TouchedIds(MarketShard[] shards)
    {
        var ids = new uint[shards.Length];
        for (var i = 0; i < shards.Length; i++)
        {
            ids[i] = shards[i].Market.Id;
        }
        return ids;
    }

    /// <summary>
    /// A market that threw or broke an invariant: its state goes back to the last commit, it halts, the
    /// margin moved into it in phase A goes back to the free balances, and its transactions are rejected.
    /// </summary>
    private void ContainFault(MarketShard shard, BlockRun run)
    {
        var id = shard.Market.Id;
        shard.Writes.Clear();
        shard.Context.Events.Clear();
        shard.Context.Releases.Clear();
        var restored = LoadCommittedMarket(id, shard.Market.Params, shard.Tree);
        _markets[id] = restored;
        shard.Market = restored;
        foreach (var item in shard.Transactions)
        {
            if (item.Tx.Kind == TxKind.TransferMargin && item.Tx.ToMarket)
            {
                CreditFromMarket(item.Tx.Account, id, run.Block.Number, (long)item.Tx.Amount);
            }
            run.Receipts[item.TxIndex] = new Receipt(item.TxIndex, TxStatus.MarketFault);
        }
        shard.Context.TxIndex = -1;
        restored.Halt(HaltReason.Fault, shard.Context);
        restored.Layout = _options.KeepProvableLayout ? MarketLayout.Of(restored) : null;
        shard.Root = restored.PrepareCommit(shard.Writes, shard.Tree.Tree);
    }

    /// <summary>
    /// The market as its last committed records hold it, with <paramref name="tree"/> rebuilt from the same records
    /// (the faulted run may have left it half updated).
    /// </summary>
    private Market LoadCommittedMarket(uint id, Transactions.MarketParams parameters, StateTree tree)
    {
        Span<byte> key = stackalloc byte[StateKeys.MarketKeyLength];
        StateKeys.Market(id, key);
        var record = _db.Get(StateColumn.Markets, key);
        var leaves = new List<MerkleUpdate>();
        if (record is not null)
        {
            var loaded = Market.Load(_db, id, record, leaves);
            tree.Rebuild(leaves);
            return loaded;
        }
        tree.Rebuild(leaves);
        var created = new Market(id, parameters);
        created.MarkRecordDirty();
        return created;
    }

    private Hash256 CommitAccounts(Storage.RocksWriteBatch<StateColumn> batch)
    {
        _committedAccounts.Clear();
        var addresses = new Address[_dirtyAccounts.Count];
        _dirtyAccounts.CopyTo(addresses);
        Array.Sort(addresses);
        var updates = new MerkleUpdate[addresses.Length];
        Span<byte> buffer = stackalloc byte[StateRecords.MaxAccountLength];
        for (var i = 0; i < addresses.Length; i++)
        {
            var account = _accounts[addresses[i]];
            _committedAccounts.Add(new KeyValuePair<Address, AccountView>(addresses[i], AccountView.Of(account)));
            var record = buffer[..StateRecords.EncodeAccount(account, buffer)];
            batch.Put(StateColumn.Accounts, addresses[i].Bytes, record);
            updates[i] = new MerkleUpdate(StateTrees.AccountKey(addresses[i]), Keccak256.Compute(record));
        }
        _dirtyAccounts.Clear();
        return _accountsTree.Tree.Update(updates);
    }

    /// <summary>
    /// The block's withdrawals as a sparse Merkle tree: key keccak256(block number u64 ‖ tx index u32), value
    /// keccak256 of its <see cref="WithdrawalLeaf"/>. L1 pays a withdrawal against this root by the same proof rules.
    /// </summary>
    public static Hash256 WithdrawalsRoot(IReadOnlyList<Withdrawal> withdrawals)
    {
        if (withdrawals.Count == 0)
        {
            return Hash256.Zero;
        }
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var updates = new MerkleUpdate[withdrawals.Count];
        for (var i = 0; i < updates.Length; i++)
        {
            updates[i] = new MerkleUpdate(WithdrawalKey(withdrawals[i]), WithdrawalValueHash(withdrawals[i]));
        }
        return tree.Update(updates);
    }

    public static Hash256 WithdrawalKey(in Withdrawal withdrawal)
    {
        Span<byte> key = stackalloc byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key, withdrawal.BlockNumber);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(key[8..], (uint)withdrawal.TxIndex);
        return Keccak256.Compute(key);
    }

    public static Hash256 WithdrawalValueHash(in Withdrawal withdrawal) =>
        Keccak256.Compute(WithdrawalLeaf.Record(withdrawal.Account, withdrawal.Amount, withdrawal.Drawn));
}
