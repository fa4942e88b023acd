using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps;

/// <summary>One whole step tree with its records, so a trace builder can prove any key and apply any write.</summary>
internal sealed class StepRecordTree
{
    private readonly Dictionary<Hash256, byte[]> _records = [];
    private SparseMerkleTree _tree = new(new InMemoryMerkleNodeStore());

    public Hash256 Root => _tree.Root;

    public StepLeaf Prove(in Hash256 key) =>
        new(_records.TryGetValue(key, out var record) ? record : [], _tree.GetProof(key));

    public void Put(in Hash256 key, byte[] record)
    {
        _records[key] = record;
        Span<MerkleUpdate> update = [new MerkleUpdate(key, Keccak256.Compute(record))];
        _tree.Update(update);
    }

    /// <summary>Sets many leaves at once (a tree built from inputs, not by steps).</summary>
    public void PutAll(List<(Hash256 Key, byte[] Record)> leaves)
    {
        var updates = new MerkleUpdate[leaves.Count];
        for (var i = 0; i < leaves.Count; i++)
        {
            _records[leaves[i].Key] = leaves[i].Record;
            updates[i] = new MerkleUpdate(leaves[i].Key, Keccak256.Compute(leaves[i].Record));
        }
        _tree.Update(updates);
    }

    public void Clear()
    {
        _records.Clear();
        _tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
    }
}
