using Rollup.Execution.Transactions;

namespace Rollup.Execution.Blocks;

/// <summary>The accepted withdrawals of stored blocks: what a batch's withdrawals tree is built from.</summary>
public static class BlockWithdrawals
{
    /// <summary>In block and transaction order, each block's checked against its own stored withdrawals root.</summary>
    public static List<Withdrawal> Of(IReadOnlyList<BlockRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var all = new List<Withdrawal>();
        var block = new List<Withdrawal>();
        foreach (var record in records)
        {
            block.Clear();
            var transactions = record.Block.Transactions;
            for (var i = 0; i < transactions.Length; i++)
            {
                if (transactions[i].Kind == TxKind.Withdraw && record.Receipts[i].IsAccepted)
                {
                    block.Add(new Withdrawal(record.Block.Number, i, transactions[i].Account, (long)transactions[i].Amount, record.Receipts[i].Drawn));
                }
            }
            if (ExecutionEngine.WithdrawalsRoot(block) != record.WithdrawalsRoot)
            {
                throw new InvalidDataException($"block {record.Block.Number}: its withdrawals do not give its stored withdrawals root");
            }
            all.AddRange(block);
        }
        return all;
    }
}
