using System.Buffers.Binary;
using Rollup.Execution.State.Merkle;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Blocks;

/// <summary>
/// A batch's transactions by sequence number (docs/batches.md, "Commitment"): a sparse Merkle tree of docs/state.md
/// with one leaf per transaction, key keccak256(sequence u64), value hash the transaction's hash
/// (<see cref="TransactionHash"/>). Blocks partition the sequencer's log in order from sequence 0, so the k-th
/// transaction of the batch's blocks (from 0, deposits included) has sequence <c>firstSequence + k</c>.
/// An ack's (sequence, tx hash) is checked against a committed batch with the proof of <see cref="Prove"/>.
/// </summary>
public static class BatchTransactionRoot
{
    public static Hash256 Key(ulong sequence)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, sequence);
        return Keccak256.Compute(bytes);
    }

    /// <summary>The root over the transactions of <paramref name="blocks"/>, the first at <paramref name="firstSequence"/>; zero when they hold none.</summary>
    public static Hash256 Compute(ulong firstSequence, IReadOnlyList<Block> blocks) => Build(firstSequence, blocks).Root;

    /// <summary>The siblings, root down, from the root of <see cref="Compute"/> to the leaf of <paramref name="sequence"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is not one of the blocks' transactions.</exception>
    public static MerkleProof Prove(ulong firstSequence, IReadOnlyList<Block> blocks, ulong sequence)
    {
        var count = CountTransactions(blocks);
        if (sequence < firstSequence || sequence - firstSequence >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"the blocks hold sequences {firstSequence}..{firstSequence + count} (end excluded)");
        }
        return Build(firstSequence, blocks).GetProof(Key(sequence));
    }

    public static ulong CountTransactions(IReadOnlyList<Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var count = 0UL;
        for (var i = 0; i < blocks.Count; i++)
        {
            count += (ulong)blocks[i].Transactions.Length;
        }
        return count;
    }

    private static SparseMerkleTree Build(ulong firstSequence, IReadOnlyList<Block> blocks)
    {
        var leaves = new MerkleUpdate[checked((int)CountTransactions(blocks))];
        var at = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            foreach (var tx in blocks[i].Transactions)
            {
                leaves[at] = new MerkleUpdate(Key(checked(firstSequence + (ulong)at)), TransactionHash.Of(tx));
                at++;
            }
        }
        return SparseMerkleTree.InMemory(leaves);
    }
}
