using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps;

/// <summary>
/// Builds the accounts domain's trace of a batch by running <see cref="AccountsStepFunction"/> on whole trees,
/// recording for each step the leaves it read (its witness). It keeps the domain's state between batches, so the
/// batches of a chain are traced in order from a snapshot of the state before the first.
/// </summary>
/// <remarks>
/// Until market domains have traces of their own, each market's outbox (its margin replies) is taken from the
/// engine's receipts: an accepted TransferMargin out of a market replies its amount, a TransferMargin into a market
/// that faulted replies a refund (<see cref="MarketReplies"/>).
/// </remarks>
public sealed class AccountsTraceBuilder
{
    private readonly Eip712Domain _domain;
    private readonly IReadOnlyCollection<Address> _operators;
    private readonly StepRecordTree _accounts = new();
    private readonly StepRecordTree _registry = new();
    private AccountsState _state;

    public AccountsTraceBuilder(AccountsSnapshot start, Eip712Domain domain, IReadOnlyCollection<Address> operators)
    {
        ArgumentNullException.ThrowIfNull(start);
        _domain = domain;
        _operators = operators;
        var accounts = new List<(Hash256, byte[])>(start.Accounts.Count);
        foreach (var (address, record) in start.Accounts)
        {
            accounts.Add((Rollup.Execution.State.StateTrees.AccountKey(address), record));
        }
        _accounts.PutAll(accounts);
        var markets = new List<(Hash256, byte[])>(start.Markets.Count);
        foreach (var market in start.Markets)
        {
            markets.Add((StepKeys.Market(market), StepKeys.RegistryRecord));
        }
        _registry.PutAll(markets);
        _state = new AccountsState
        {
            AccountsRoot = _accounts.Root,
            RegistryRoot = _registry.Root,
            NextDepositIndex = start.NextDepositIndex,
            TotalDeposits = start.TotalDeposits,
            TotalWithdrawals = start.TotalWithdrawals,
        };
    }

    /// <summary>The domain's state after the last traced batch (before the first: the snapshot's).</summary>
    public AccountsState State => _state;

    /// <summary>
    /// Market <paramref name="market"/>'s path in the registry after the last traced batch (its <c>RegistryRoot</c>):
    /// its leaf if registered, else where its key's path ends (docs/steps.md, the accounts domain's word 1).
    /// </summary>
    public State.Merkle.MerkleProof RegistryProof(uint market) => _registry.Prove(StepKeys.Market(market)).Proof;

    /// <summary>Traces a batch: its blocks in order, the engine's receipts of each (for the markets' replies).</summary>
    public AccountsTrace Trace(ulong firstSequence, IReadOnlyList<Block> blocks, IReadOnlyList<IReadOnlyList<Receipt>> receipts)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(receipts);
        if (blocks.Count == 0 || blocks.Count != receipts.Count)
        {
            throw new ArgumentException("a batch has at least one block, and a receipt list for each");
        }
        var inputs = new BatchInputTrees(firstSequence, blocks, receipts);
        var context = new AccountsStepContext(_domain, _operators, inputs.Transactions.Root, inputs.Blocks.Root, inputs.OutboxRoots());
        var start = _state.StartOfBatch(blocks[0].Number, firstSequence);
        var source = new TreeLeafSource(this, inputs);
        var steps = new List<AccountsStep>();
        var state = start;
        var lastBlock = blocks[^1].Number;
        while (!(state.Block == lastBlock && state.NextStep == AccountsStepKind.BlockStart))
        {
            var kind = state.NextStep;
            if (kind == AccountsStepKind.BlockStart)
            {
                source.ClearBlockTrees();
            }
            var deposit = kind == AccountsStepKind.Transaction ? inputs.DepositAt(state.FirstSequence + state.TxIndex) : default;
            source.BeginStep();
            var post = AccountsStepFunction.Apply(state, context, deposit, source, out var outcome);
            steps.Add(new AccountsStep(steps.Count, kind, state, post, deposit, source.Witness(), outcome));
            state = post;
        }
        _state = state;
        return new AccountsTrace(context, start, state, steps);
    }

    /// <summary>The leaves of the domain's own trees and of the batch's inputs, proven from whole trees; writes applied.</summary>
    private sealed class TreeLeafSource(AccountsTraceBuilder builder, BatchInputTrees inputs) : IStepLeafSource
    {
        private readonly StepRecordTree _withdrawals = new();
        private readonly StepRecordTree _outbox = new();
        private readonly StepRecordTree _routed = new();
        private readonly StepRecordTree _replies = new();
        private List<StepLeaf> _witness = [];

        public void BeginStep() => _witness = [];

        public StepLeaf[] Witness() => [.. _witness];

        public void ClearBlockTrees()
        {
            _routed.Clear();
            _replies.Clear();
        }

        public StepLeaf Read(StepTree tree, uint market, in Hash256 root, in Hash256 key)
        {
            var whole = TreeOf(tree, market);
            if (whole.Root != root)
            {
                throw new InvalidOperationException($"the {tree} tree's root {whole.Root} is not the state's {root}");
            }
            var leaf = whole.Prove(key);
            _witness.Add(leaf);
            return leaf;
        }

        public void Wrote(StepTree tree, uint market, in Hash256 key, ReadOnlySpan<byte> record, in Hash256 newRoot)
        {
            var whole = TreeOf(tree, market);
            whole.Put(key, record.ToArray());
            if (whole.Root != newRoot)
            {
                throw new InvalidOperationException($"the {tree} tree's root after a write is {whole.Root}, the proof gave {newRoot}");
            }
        }

        private StepRecordTree TreeOf(StepTree tree, uint market) => tree switch
        {
            StepTree.Transactions => inputs.Transactions,
            StepTree.Blocks => inputs.Blocks,
            StepTree.Accounts => builder._accounts,
            StepTree.Registry => builder._registry,
            StepTree.Withdrawals => _withdrawals,
            StepTree.Outbox => _outbox,
            StepTree.Routed => _routed,
            StepTree.Replies => _replies,
            _ => inputs.MarketOutbox(market),
        };
    }
}

/// <summary>The accounts domain's state as an engine holds it: where a trace builder starts.</summary>
public sealed record AccountsSnapshot(
    IReadOnlyList<(Address Account, byte[] Record)> Accounts,
    IReadOnlyList<uint> Markets,
    ulong NextDepositIndex,
    long TotalDeposits,
    long TotalWithdrawals);

/// <summary>
/// A market's margin replies to a block's transactions, as the engine's receipts show them (docs/steps.md, "Messages"):
/// an accepted TransferMargin out of the market replies its amount; a TransferMargin into a market that faulted replies
/// the refund. Stands in for the market domains' own outboxes until their traces exist.
/// </summary>
public static class MarketReplies
{
    public static IEnumerable<(uint Market, Hash256 Key, byte[] Record)> Of(Block block, IReadOnlyList<Receipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        for (var i = 0; i < block.Transactions.Length; i++)
        {
            var tx = block.Transactions[i];
            if (tx.Kind != TxKind.TransferMargin)
            {
                continue;
            }
            var status = receipts[i].Status;
            if ((!tx.ToMarket && status == TxStatus.Accepted) || (tx.ToMarket && status == TxStatus.MarketFault))
            {
                yield return (tx.Market, StepKeys.BlockTx(block.Number, (uint)i), StepKeys.AccountAmount(tx.Account, (long)tx.Amount));
            }
        }
    }
}
