using System.Text;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// The ack check of docs/acks.md written out again from the spec, apart from the node's own code, so tests hold the
/// node's acks against the document rather than against itself.
/// </summary>
internal static class AckReceipts
{
    /// <summary>The address that signed this ack's root, after checking the proof leads there (throws if it does not).</summary>
    public static Address Signer(ulong sequence, ReadOnlySpan<byte> txHash, ReadOnlySpan<byte> root, ReadOnlySpan<byte> proof, ReadOnlySpan<byte> signature, Eip712Domain domain) =>
        Signer(sequence, new Hash256(txHash), new Hash256(root), proof, new Signature(signature), domain);

    // Hashes and signatures by value: a span of a temporary's bytes does not outlive the temporary.
    public static Address Signer(ulong sequence, Hash256 txHash, Hash256 root, ReadOnlySpan<byte> proof, Signature signature, Eip712Domain domain)
    {
        var leafInput = new byte[40];
        for (var i = 0; i < 8; i++)
        {
            leafInput[i] = (byte)(sequence >> (56 - 8 * i));
        }
        txHash.CopyTo(leafInput.AsSpan(8));
        var node = Keccak256.Compute(leafInput).ToArray();
        Assert.Equal(0, proof.Length % 32);
        for (var at = 0; at < proof.Length; at += 32)
        {
            var sibling = proof.Slice(at, 32).ToArray();
            var pair = node.AsSpan().SequenceCompareTo(sibling) <= 0 ? node.Concat(sibling) : sibling.Concat(node);
            node = Keccak256.Compute(pair.ToArray()).ToArray();
        }
        Assert.Equal(root.ToArray(), node);

        var typeHash = Keccak256.Compute(Encoding.ASCII.GetBytes("AckRoot(bytes32 root)")).ToArray();
        var structHash = Keccak256.Compute(typeHash.Concat(root.ToArray()).ToArray()).ToArray();
        var digest = Keccak256.Compute(new byte[] { 0x19, 0x01 }.Concat(domain.Separator.ToArray()).Concat(structHash).ToArray());
        return Secp256k1.RecoverAddress(digest.Bytes, signature.Bytes);
    }
}
