using Rollup.Primitives;

namespace Rollup.Execution.State.Merkle;

/// <summary>Nodes in a dictionary: the engine's state trees (rebuilt from the records at open), tests and tools.</summary>
public sealed class InMemoryMerkleNodeStore : IMerkleNodeStore
{
    private readonly Dictionary<(int Depth, Hash256 Path), MerkleNode> _nodes = [];

    public int Count => _nodes.Count;

    public bool TryGet(int depth, in Hash256 path, out MerkleNode node) =>
        _nodes.TryGetValue((depth, MerklePath.Mask(path, depth)), out node);

    public void Put(int depth, in Hash256 path, in MerkleNode node) => _nodes[(depth, MerklePath.Mask(path, depth))] = node;

    public void Delete(int depth, in Hash256 path) => _nodes.Remove((depth, MerklePath.Mask(path, depth)));

    /// <summary>Forgets every node: the tree is empty.</summary>
    public void Clear() => _nodes.Clear();
}
