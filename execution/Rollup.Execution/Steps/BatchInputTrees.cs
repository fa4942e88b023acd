using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Steps;

/// <summary>The trees of a batch's inputs: its transactions by sequence, its blocks, and each market's replies.</summary>
internal sealed class BatchInputTrees
{
    private readonly Dictionary<ulong, L1Deposit> _deposits = [];
    private readonly Dictionary<uint, StepRecordTree> _outboxes = [];

    public BatchInputTrees(ulong firstSequence, IReadOnlyList<Block> blocks, IReadOnlyList<IReadOnlyList<Receipt>> receipts)
    {
        var transactions = new List<(Hash256, byte[])>();
        var sequence = firstSequence;
        for (var b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            for (var i = 0; i < block.Transactions.Length; i++, sequence++)
            {
                ref readonly var tx = ref block.Transactions[i];
                var encoded = new byte[TransactionCodec.GetEncodedLength(tx)];
                TransactionCodec.Encode(tx, encoded);
                transactions.Add((StepKeys.Sequence(sequence), encoded));
                if (tx.Kind == TxKind.Deposit)
                {
                    _deposits[sequence] = new L1Deposit(tx.Account, tx.Amount);
                }
                else if (tx.Kind is not TxKind.Withdraw)
                {
                    MarketOutbox(tx.Market);
                }
            }
            foreach (var (market, key, record) in MarketReplies.Of(block, receipts[b]))
            {
                if (!_outboxes.TryGetValue(market, out var outbox))
                {
                    _outboxes[market] = outbox = new StepRecordTree();
                }
                outbox.Put(key, record);
            }
        }
        Transactions.PutAll(transactions);
        Blocks.PutAll(BatchBlocksRoot.Headers(firstSequence, blocks));
    }

    public StepRecordTree Transactions { get; } = new();

    public StepRecordTree Blocks { get; } = new();

    public L1Deposit DepositAt(ulong sequence) => _deposits.TryGetValue(sequence, out var deposit) ? deposit : default;

    public StepRecordTree MarketOutbox(uint market)
    {
        if (!_outboxes.TryGetValue(market, out var outbox))
        {
            _outboxes[market] = outbox = new StepRecordTree();
        }
        return outbox;
    }

    public Dictionary<uint, Hash256> OutboxRoots()
    {
        var roots = new Dictionary<uint, Hash256>();
        foreach (var (market, outbox) in _outboxes)
        {
            roots[market] = outbox.Root;
        }
        return roots;
    }
}
