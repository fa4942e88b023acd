using Rollup.Execution.Transactions;

namespace Rollup.Execution.Blocks;

/// <summary>Finding a credited deposit by its queue index among stored blocks (or any run of transactions).</summary>
public static class StoredDeposits
{
    /// <summary>
    /// The deposit transaction with queue index <paramref name="index"/> among the executed blocks, or null if no executed
    /// block holds it (not executed yet, or its block is no longer stored). Blocks' <see cref="BlockRecord.NextDepositIndex"/>
    /// only grows, so a binary search finds the first block past the deposit in O(log n) block reads.
    /// </summary>
    public static Transaction? FindExecutedDeposit(this IBlockStore store, ulong index)
    {
        ArgumentNullException.ThrowIfNull(store);
        ulong low = 1;
        var high = store.HeadBlock;
        if (high == 0)
        {
            return null;
        }
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (store.GetBlock(middle) is not { } record)
            {
                return null;
            }
            if (record.NextDepositIndex > index)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return store.GetBlock(low) is { } block && block.NextDepositIndex > index ? DepositIn(block.Block.Transactions, index) : null;
    }

    /// <summary>The deposit transaction with queue index <paramref name="index"/> among <paramref name="transactions"/>, or null.</summary>
    public static Transaction? DepositIn(ReadOnlySpan<Transaction> transactions, ulong index)
    {
        foreach (var tx in transactions)
        {
            if (tx.Kind == TxKind.Deposit && tx.DepositIndex == index)
            {
                return tx;
            }
        }
        return null;
    }
}
