using Rollup.Bridge.Validation;
using Rollup.Execution.Blocks;
using Rollup.Execution.Steps;
using Rollup.Execution.Steps.Markets;
using Rollup.Execution.Transactions;

namespace Rollup.Bridge.Disputes;

/// <summary>
/// A node's traces of a batch from its stored blocks and receipts (its own execution) and its provable engine's state
/// before the batch (<see cref="ProvableMarkets.StartOf"/>): the same for the sequencer that posted the batch and a
/// validator that re-executed it, if both executed it alike. Every market registered at the batch's end is traced,
/// claimed or not.
/// </summary>
public sealed class StoredBatchTraces(Func<ulong, BlockRecord?> blocks, ProvableMarkets provable, EngineOptions options) : IBatchTraceSource
{
    public IReadOnlyDictionary<DomainId, DomainTrace> TracesOf(CommittedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var c = batch.Commitment;
        var records = new List<Block>();
        var receipts = new List<IReadOnlyList<Receipt>>();
        for (var number = c.FirstBlock; number <= c.LastBlock; number++)
        {
            var record = blocks(number) ?? throw new InvalidDataException($"block {number} of batch {c.BatchIndex} is not in this node's store");
            records.Add(record.Block);
            receipts.Add(record.Receipts);
        }
        var start = provable.StartOf(c.FirstBlock - 1);
        // Every market registered at the batch's end in this node's execution (what an honest batch claims: docs/steps.md,
        // "Claims"), and any other the batch claims: a market the batch leaves out is traced too, to show it missing.
        var markets = new SortedSet<uint>(start.Accounts.Markets);
        for (var b = 0; b < records.Count; b++)
        {
            var transactions = records[b].Transactions;
            for (var i = 0; i < transactions.Length; i++)
            {
                if (transactions[i].Kind == TxKind.CreateMarket && receipts[b][i].Status == TxStatus.Accepted)
                {
                    markets.Add(transactions[i].Market);
                }
            }
        }
        foreach (var (domain, _) in batch.Claims)
        {
            if (domain.Kind == DomainId.MarketKind)
            {
                markets.Add(domain.Market);
            }
        }
        return BatchTraces.Of(
            start.Accounts, RollupDomain.Create(options.ChainId, options.SettlementContract), options.Operators,
            start.Markets, markets, c.FirstSequence, records, receipts);
    }
}
