using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Transactions;

/// <summary>
/// The hash that names a transaction in acks, receipts and a batch's transaction root (docs/acks.md): keccak256 of
/// its binary encoding (<see cref="TransactionCodec"/>). The sequencer logs every signed transaction with v as 0/1,
/// so the transactions of a block hash as their acks do.
/// </summary>
public static class TransactionHash
{
    /// <summary>The hash of a transaction already encoded by <see cref="TransactionCodec.Encode"/>.</summary>
    public static Hash256 Of(ReadOnlySpan<byte> encoding) => Keccak256.Compute(encoding);

    public static Hash256 Of(in Transaction tx)
    {
        Span<byte> encoding = stackalloc byte[TransactionCodec.MaxEncodedLength];
        var length = TransactionCodec.Encode(tx, encoding);
        return Of(encoding[..length]);
    }
}
