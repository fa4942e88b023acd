using System.Text;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Acks;

/// <summary>
/// The sequencer's signed acknowledgements: one EIP-712 signature of <c>AckRoot(bytes32 root)</c> in the Rollup
/// domain per <see cref="AckTree"/>, whose leaves are (sequence, tx hash). A client holding its ack (sequence, tx hash,
/// root, proof, signature) can prove the sequencer promised this position, without the other acks of the tree.
/// </summary>
public static class AckSigning
{
    public const string EncodedType = "AckRoot(bytes32 root)";

    public static readonly Hash256 TypeHash = Keccak256.Compute(Encoding.ASCII.GetBytes(EncodedType));

    public static Hash256 Digest(in Hash256 root, Eip712Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Span<byte> buffer = stackalloc byte[2 * AbiWords.WordLength];
        var words = new AbiWords(buffer);
        words.Hash(TypeHash);
        words.Hash(root);
        return domain.Digest(Keccak256.Compute(words.Written));
    }

    public static Signature Sign(in Hash256 root, Eip712Domain domain, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> signature = stackalloc byte[Signature.Length];
        key.Sign(Digest(root, domain).Bytes, signature);
        return new Signature(signature);
    }

    /// <summary>
    /// Checks an ack: the proof must take (sequence, tx hash) to <paramref name="root"/>, and gives the address that
    /// signed the root. Null <paramref name="error"/> and the signer's address when it holds together; compare the
    /// address with the sequencer's.
    /// </summary>
    public static bool TryRecoverSigner(ulong sequence, in Hash256 txHash, in Hash256 root, ReadOnlySpan<byte> proof, ReadOnlySpan<byte> signature, Eip712Domain domain, out Address signer, out string? error)
    {
        signer = default;
        if (!AckTree.TryComputeRoot(sequence, txHash, proof, out var computed))
        {
            error = $"the proof is {proof.Length} bytes: not a whole number of 32-byte hashes, or longer than any tree";
            return false;
        }
        if (computed != root)
        {
            error = "the proof does not lead from (sequence, tx hash) to the root";
            return false;
        }
        var recovery = Secp256k1.TryRecoverAddress(Digest(root, domain).Bytes, signature, out signer);
        error = recovery == SignatureError.None ? null : Secp256k1.Describe(recovery);
        return error is null;
    }
}
