using Rollup.Execution.State.Ordered;
using Rollup.Primitives;

namespace Rollup.Execution.Steps.Markets;

/// <summary>One whole ordered tree of a market domain with the records its value hashes are the hashes of.</summary>
public sealed class OrderedRecordTree
{
    private readonly Dictionary<Hash256, byte[]> _records;
    private readonly OrderedMerkleTree _tree;

    public OrderedRecordTree()
        : this([], new OrderedMerkleTree())
    {
    }

    private OrderedRecordTree(Dictionary<Hash256, byte[]> records, OrderedMerkleTree tree)
    {
        _records = records;
        _tree = tree;
    }

    public OrderedNode Root => _tree.Root;

    public OrderedMerkleProof GetProof(in Hash256 key) => _tree.GetProof(key);

    public bool TryGetRecord(in Hash256 key, out byte[] record) => _records.TryGetValue(key, out record!);

    /// <summary>The key's leaf as a step's witness holds it: its record (empty if absent) and its proof.</summary>
    public OrderedStepLeaf Prove(in Hash256 key) => new(key, _records.TryGetValue(key, out var record) ? record : [], _tree.GetProof(key));

    /// <summary>The leftmost or rightmost leaf's witness, or null when the tree is empty.</summary>
    public OrderedStepLeaf? ProveEdge(bool first) => _tree.TryGetEdge(first, out var leaf) ? Prove(leaf.Key) : null;

    public void Set(in Hash256 key, byte[] record, ulong size)
    {
        _tree.Set(key, OrderedStepLeaf.ValueHashOf(record), size);
        _records[key] = record;
    }

    public void Remove(in Hash256 key)
    {
        if (!_tree.Remove(key))
        {
            throw new InvalidOperationException($"the tree holds no key {key}");
        }
        _records.Remove(key);
    }

    /// <summary>A tree of its own with the same records (shared: a record is never changed in place), its nodes copied with their hashes.</summary>
    public OrderedRecordTree Clone() => new(new Dictionary<Hash256, byte[]>(_records), _tree.Clone());
}
