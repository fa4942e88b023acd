using System.Text;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Sequencer.Admission;

/// <summary>
/// The sequencer's signed acknowledgement: EIP-712 <c>Ack(uint64 sequence,bytes32 txHash)</c> in the Rollup
/// domain, signed by the sequencer key. A client holding it can prove the sequencer promised this position.
/// </summary>
public static class AckSigning
{
    public const string EncodedType = "Ack(uint64 sequence,bytes32 txHash)";

    public static readonly Hash256 TypeHash = Keccak256.Compute(Encoding.ASCII.GetBytes(EncodedType));

    public static Hash256 Digest(ulong sequence, in Hash256 txHash, Eip712Domain domain)
    {
        Span<byte> buffer = stackalloc byte[3 * AbiWords.WordLength];
        var words = new AbiWords(buffer);
        words.Hash(TypeHash);
        words.UInt256(sequence);
        words.Hash(txHash);
        return domain.Digest(Keccak256.Compute(words.Written));
    }

    public static Signature Sign(ulong sequence, in Hash256 txHash, Eip712Domain domain, PrivateKey key)
    {
        Span<byte> signature = stackalloc byte[Signature.Length];
        key.Sign(Digest(sequence, txHash, domain).Bytes, signature);
        return new Signature(signature);
    }
}
