using Rollup.Execution.Transactions;

namespace Rollup.Fuzz.Targets;

/// <summary>
/// The binary transaction codec (the tx log, L1 batches, a SubmitRequest's <c>encoded</c>): bytes either fail to decode
/// with a reason, or decode to a transaction that re-encodes to exactly those bytes (the codec is canonical); a decoded
/// transaction's EIP-712 signer is then recovered as admission and a validator do, which answers, never throws.
/// </summary>
public sealed class TransactionCodecTarget : FuzzTarget
{
    private readonly byte[] _buffer = new byte[TransactionCodec.MaxEncodedLength];

    public override string Name => "tx";

    public override IReadOnlyList<byte[]> Seeds { get; } = FuzzSeeds.EncodedTransactions();

    public override FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        if (!TransactionCodec.TryDecode(input, out var tx, out var consumed, out var error))
        {
            return error == TxDecodeError.None ? throw new FuzzFindingException("decode failed without a reason") : FuzzOutcome.Rejected;
        }
        var written = TransactionCodec.Encode(tx, _buffer);
        if (!_buffer.AsSpan(0, written).SequenceEqual(input[..consumed]))
        {
            throw new FuzzFindingException($"decoded {tx.Kind} does not re-encode to its {consumed} bytes");
        }
        if (tx.Kind != TxKind.Deposit)
        {
            _ = TransactionSigning.TryRecoverSigner(tx, FuzzSeeds.Domain, out _);
        }
        return FuzzOutcome.Accepted;
    }
}
