using System.Buffers.Binary;
using Rollup.Execution.State;
using Rollup.Execution.Transactions;
using Rollup.Primitives;

namespace Rollup.Execution.Blocks;

/// <summary>
/// A withdrawals tree leaf's record (docs/state.md, "Withdrawals"): account (20) ‖ amount (i64), and for a withdrawal
/// that drew on held credits ‖ u8 k ‖ k × (u32 market ‖ u64 block), in market order, 1 ≤ k ≤ 8. A withdrawal that
/// drew on none keeps the 28 bytes it always had. The engine's tree, the accounts step function's and L1's
/// <c>claimWithdrawal</c> all hash this.
/// </summary>
public static class WithdrawalLeaf
{
    private const int BaseLength = Address.Length + 8;
    /// <summary>One held credit drawn on: u32 market ‖ u64 block, as the leaf and the stored block record carry it.</summary>
    public const int DrawLength = 4 + 8;

    public static byte[] Record(in Address account, long amount, ValueArray<HeldDraw>? drawn)
    {
        var count = drawn?.Count ?? 0;
        var record = new byte[BaseLength + (count == 0 ? 0 : 1 + (count * DrawLength))];
        account.CopyTo(record);
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(Address.Length), amount);
        if (count == 0)
        {
            return record;
        }
        record[BaseLength] = (byte)count;
        var at = BaseLength + 1;
        foreach (var draw in drawn!.Span)
        {
            BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(at), draw.Market);
            BinaryPrimitives.WriteUInt64BigEndian(record.AsSpan(at + 4), draw.Block);
            at += DrawLength;
        }
        return record;
    }
}
