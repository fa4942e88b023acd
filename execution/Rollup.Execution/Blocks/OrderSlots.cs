using Rollup.Execution.Transactions;

namespace Rollup.Execution.Blocks;

/// <summary>
/// Where each transaction's orders sit in its block's order ids (<see cref="Markets.Market.OrderIdOf"/>): every
/// transaction takes one slot, a Bulk one per item, in block order. A block without a bulk has slot = index, so its
/// order ids are what they were before bulks existed; after a bulk of n items, later transactions move n − 1 slots on.
/// A pure function of the block's transactions, whatever their outcome, so every node numbers the same orders alike.
/// </summary>
public static class OrderSlots
{
    /// <summary>The slots one transaction takes: one, a bulk one per item.</summary>
    public static int Of(in Transaction transaction) =>
        transaction.Kind == TxKind.Bulk ? Math.Max(1, transaction.Items?.Count ?? 1) : 1;

    /// <summary>The slot after <paramref name="transaction"/>'s, from its first <paramref name="slot"/>, held at int.MaxValue as <see cref="Of(ReadOnlySpan{Transaction})"/> holds it.</summary>
    public static uint After(uint slot, in Transaction transaction) => (uint)Math.Min(int.MaxValue, (long)slot + Of(transaction));

    /// <summary>Each transaction's first slot, or null when no transaction is a bulk (then slot = index).</summary>
    public static int[]? Of(ReadOnlySpan<Transaction> transactions)
    {
        var first = -1;
        for (var i = 0; i < transactions.Length; i++)
        {
            if (transactions[i].Kind == TxKind.Bulk)
            {
                first = i;
                break;
            }
        }
        if (first < 0)
        {
            return null;
        }
        var slots = new int[transactions.Length];
        var slot = 0L;
        for (var i = 0; i < slots.Length; i++)
        {
            // Past int range only in a block no engine accepts; clamped, it is refused as over the slots.
            slots[i] = (int)Math.Min(slot, int.MaxValue);
            slot += Of(transactions[i]);
        }
        return slots;
    }
}
