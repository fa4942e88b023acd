using Rollup.Primitives;

namespace Rollup.Bridge.Acks;

/// <summary>
/// An ack as the sequencer hands it out (docs/acks.md, <c>rollup.v1.Ack</c>): the promise that <see cref="TxHash"/>
/// is at <see cref="Sequence"/>, the ack tree's <see cref="Root"/>, the siblings from the ack's leaf up
/// (<see cref="Proof"/>, 32 bytes each) and the sequencer's 65-byte EIP-712 signature of <c>AckRoot(root)</c>.
/// </summary>
public sealed record SignedAck(ulong Sequence, Hash256 TxHash, Hash256 Root, byte[] Proof, byte[] Signature)
{
    /// <summary>The proof as the contract takes it: one word per sibling.</summary>
    public List<byte[]> ProofWords()
    {
        var words = new List<byte[]>(Proof.Length / Hash256.Length);
        for (var at = 0; at + Hash256.Length <= Proof.Length; at += Hash256.Length)
        {
            words.Add(Proof.AsSpan(at, Hash256.Length).ToArray());
        }
        return words;
    }
}
