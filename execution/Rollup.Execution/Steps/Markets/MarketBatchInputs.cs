using Rollup.Execution.Blocks;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// A batch's inputs as market steps read them, built once for all of the batch's markets: its transactions and blocks,
/// and the accounts domain's outbox (the routed transactions).
/// </summary>
public sealed class MarketBatchInputs
{
    private MarketBatchInputs(BatchInputTrees trees, StepRecordTree routed, ulong firstBlock, ulong lastBlock)
    {
        Trees = trees;
        Routed = routed;
        FirstBlock = firstBlock;
        LastBlock = lastBlock;
    }

    internal BatchInputTrees Trees { get; }

    internal StepRecordTree Routed { get; }

    public ulong FirstBlock { get; }

    public ulong LastBlock { get; }

    /// <summary>The accounts domain's outbox root these inputs route by (its claim's end holds the same).</summary>
    public Primitives.Hash256 RoutedRoot => Routed.Root;

    /// <summary>The inputs with the routed transactions rebuilt from the accounts trace and held to its outbox root.</summary>
    public static MarketBatchInputs Of(ulong firstSequence, IReadOnlyList<Block> blocks, IReadOnlyList<IReadOnlyList<Receipt>> receipts, AccountsTrace accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var routed = new StepRecordTree();
        var counts = new Dictionary<(uint Market, ulong Block), uint>();
        foreach (var step in accounts.Steps)
        {
            if (step.Outcome.RoutedTo is { } market)
            {
                Route(routed, counts, market, step.Pre.Block, step.Outcome.Sequence, step.Pre.TxIndex, step.Pre.NextSlot);
            }
        }
        if (routed.Root != accounts.End.OutboxRoot)
        {
            throw new InvalidOperationException("the accounts trace's routed messages do not make its outbox root");
        }
        return new MarketBatchInputs(new BatchInputTrees(firstSequence, blocks, receipts), routed, blocks[0].Number, blocks[^1].Number);
    }

    /// <summary>
    /// The inputs with the routed transactions read off the engine's receipts (<see cref="AccountsClaims.RoutedMarket"/>),
    /// without the accounts trace: what a poster or a validator claims markets from.
    /// </summary>
    public static MarketBatchInputs FromReceipts(ulong firstSequence, IReadOnlyList<Block> blocks, IReadOnlyList<IReadOnlyList<Receipt>> receipts)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        var routed = new StepRecordTree();
        var counts = new Dictionary<(uint Market, ulong Block), uint>();
        var sequence = firstSequence;
        for (var b = 0; b < blocks.Count; b++)
        {
            var transactions = blocks[b].Transactions;
            var slot = 0U;
            for (var i = 0; i < transactions.Length; i++, sequence++)
            {
                if (AccountsClaims.RoutedMarket(transactions[i], receipts[b][i].Status) is { } market)
                {
                    Route(routed, counts, market, blocks[b].Number, sequence, (uint)i, slot);
                }
                slot = OrderSlots.After(slot, transactions[i]);
            }
        }
        return new MarketBatchInputs(new BatchInputTrees(firstSequence, blocks, receipts), routed, blocks[0].Number, blocks[^1].Number);
    }

    private static void Route(StepRecordTree routed, Dictionary<(uint Market, ulong Block), uint> counts, uint market, ulong block, ulong sequence, uint txIndex, uint slot)
    {
        counts.TryGetValue((market, block), out var j);
        routed.Put(StepKeys.OutboxMessage(market, block, j), StepKeys.OutboxMessageRecord(sequence, txIndex, slot));
        counts[(market, block)] = j + 1;
    }
}
