using Rollup.Execution.State.Ordered;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// One leaf of a market step's witness from an ordered tree: the key asked for, the record its value hash is the hash
/// of (empty for a risk leaf, whose value hash is zero, and for an absent key) and its proof against the tree's root
/// before the step's read.
/// </summary>
public sealed record OrderedStepLeaf(Hash256 Key, byte[] Record, OrderedMerkleProof Proof)
{
    public bool IsPresent => Proof.EndsInLeafOf(Key);

    /// <summary>The leaf's size (an order's remaining size, a position's |size|); 0 when absent.</summary>
    public ulong Size => IsPresent ? Proof.Leaf!.Value.Size : 0;

    public static Hash256 ValueHashOf(byte[] record) => record.Length == 0 ? Hash256.Zero : Keccak256.Compute(record);

    /// <summary>
    /// The root after writing <paramref name="record"/> at <paramref name="key"/> (null: deleting it) with
    /// <paramref name="size"/>, from this leaf's proof of the same key; a proof that cannot say is the step's fault.
    /// </summary>
    public OrderedNode RootAfter(in Hash256 key, byte[]? record, ulong size)
    {
        try
        {
            return record is null ? Proof.ComputeRootAfterDelete(key) : Proof.ComputeRootAfterWrite(key, ValueHashOf(record), size);
        }
        catch (InvalidOrderedProofException error)
        {
            throw new StepProofException($"a proof of the market's trees is malformed: {error.Message}");
        }
        catch (OverflowException error)
        {
            throw new StepProofException($"a tree's count or size would overflow: {error.Message}");
        }
    }

    /// <summary>Whether this leaf is what <paramref name="root"/> holds at its key (present with its record, or absent).</summary>
    public bool Proves(in OrderedNode root)
    {
        try
        {
            if (IsPresent)
            {
                return Proof.Leaf!.Value.ValueHash == ValueHashOf(Record) && Proof.ComputeRoot(Key) == root;
            }
            return Record.Length == 0 && Proof.ComputeRoot(Key) == root;
        }
        catch (InvalidOrderedProofException)
        {
            return false;
        }
    }
}

/// <summary>The ordered trees of a market domain.</summary>
public enum MarketTree : byte
{
    Positions = 1,
    Bids = 2,
    Asks = 3,
    Longs = 4,
    Shorts = 5,
}

/// <summary>
/// Where a market step gets the leaves it reads: from a witness (each checked against the state's roots) or from whole
/// trees while a trace is built (which also records the witness). Reads are always against the tree's current root.
/// </summary>
public interface IMarketLeafSource
{
    /// <summary>A leaf of a sparse Merkle tree: the batch's transactions or blocks, the accounts domain's outbox, or this market's own outbox.</summary>
    StepLeaf ReadInput(StepTree tree, in Hash256 root, in Hash256 key);

    /// <summary>The leaf at <paramref name="key"/> of one of the market's ordered trees.</summary>
    OrderedStepLeaf Read(MarketTree tree, in OrderedNode root, in Hash256 key);

    /// <summary>The tree's leftmost (<paramref name="first"/>) or rightmost leaf; null when the tree is empty.</summary>
    OrderedStepLeaf? ReadEdge(MarketTree tree, in OrderedNode root, bool first);

    /// <summary>
    /// Writes <paramref name="record"/> (null: a delete) at the key <paramref name="read"/> proved, and gives the tree's
    /// root after it: a witness computes it from the read's proof (<see cref="OrderedStepLeaf.RootAfter"/>), whole
    /// trees apply the write and give their own root, which is the same and costs one path of hashes less.
    /// </summary>
    OrderedNode Write(MarketTree tree, OrderedStepLeaf read, in Hash256 key, byte[]? record, ulong size);

    /// <summary>Told of every write to the market's outbox.</summary>
    void WroteOutbox(in Hash256 key, byte[] record, in Hash256 newRoot);
}
