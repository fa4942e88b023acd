using System.Runtime.InteropServices;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;

namespace Rollup.Execution.State;

/// <summary>
/// One of the engine's state trees (accounts, market roots, one market), held in memory only. Its leaves are
/// the records in the tables, one leaf per record (key from <see cref="StateTrees"/>, value hash keccak256 of
/// the stored record), so the database never holds the tree: <see cref="Rebuild"/> derives it from the records
/// when the engine opens, and again when a faulted market goes back to its committed records. The block's
/// records are written in the same atomic batch as the chain head, so a reopened tree always matches the head.
/// </summary>
public sealed class StateTree
{
    private readonly InMemoryMerkleNodeStore _nodes = new();

    public StateTree()
    {
        Tree = new SparseMerkleTree(_nodes);
    }

    public SparseMerkleTree Tree { get; }

    public Hash256 Root => Tree.Root;

    /// <summary>Nodes held (inner nodes and leaves): about two per record.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>Replaces the whole tree by the one over <paramref name="leaves"/> (distinct keys, any order; sorted in place).</summary>
    public Hash256 Rebuild(List<MerkleUpdate> leaves)
    {
        _nodes.Clear();
        return Tree.Update(CollectionsMarshal.AsSpan(leaves));
    }
}
