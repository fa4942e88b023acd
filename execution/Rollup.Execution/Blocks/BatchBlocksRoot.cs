using Rollup.Execution.State.Merkle;
using Rollup.Execution.Steps;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Blocks;

/// <summary>
/// A batch's blocks (docs/steps.md, "The batch inputs"): a sparse Merkle tree of docs/state.md with one leaf per
/// block, key keccak256(block number u64), value hash keccak256(timestamp u64 ‖ first sequence u64 ‖ tx count u32).
/// A step that starts a block proves the block's time and its place in the sequence against it.
/// </summary>
public static class BatchBlocksRoot
{
    public static Hash256 Compute(ulong firstSequence, IReadOnlyList<Block> blocks) => Build(firstSequence, blocks).Root;

    /// <summary>The proof of block <paramref name="number"/>'s header under <see cref="Compute"/>'s root.</summary>
    public static MerkleProof Prove(ulong firstSequence, IReadOnlyList<Block> blocks, ulong number) =>
        Build(firstSequence, blocks).GetProof(StepKeys.Block(number));

    /// <summary>Each block's key and header record, the first block's transactions starting at <paramref name="firstSequence"/>.</summary>
    public static List<(Hash256 Key, byte[] Header)> Headers(ulong firstSequence, IReadOnlyList<Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var headers = new List<(Hash256, byte[])>(blocks.Count);
        var sequence = firstSequence;
        foreach (var block in blocks)
        {
            headers.Add((StepKeys.Block(block.Number), StepKeys.BlockHeader(block.Timestamp, sequence, (uint)block.Transactions.Length)));
            sequence = checked(sequence + (ulong)block.Transactions.Length);
        }
        return headers;
    }

    private static SparseMerkleTree Build(ulong firstSequence, IReadOnlyList<Block> blocks)
    {
        var headers = Headers(firstSequence, blocks);
        var leaves = new MerkleUpdate[headers.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = new MerkleUpdate(headers[i].Key, Keccak256.Compute(headers[i].Header));
        }
        return SparseMerkleTree.InMemory(leaves);
    }
}
