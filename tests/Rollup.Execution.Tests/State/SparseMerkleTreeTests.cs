using FsCheck;
using FsCheck.Fluent;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Tests.State;

public class SparseMerkleTreeTests
{
    [Fact]
    public void Root_EmptyTree_IsZero()
    {
        Assert.Equal(Hash256.Zero, new SparseMerkleTree(new InMemoryMerkleNodeStore()).Root);
    }

    [Fact]
    public void Root_OneKey_IsItsLeafHashBySpecification()
    {
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var key = Key(1);
        var value = Value(1);
        Update(tree, (key, value));

        // keccak256(0x00 ‖ key ‖ valueHash), written out from docs/state.md.
        var expected = Keccak256.Compute([0x00, .. key.Bytes, .. value.Bytes]);
        Assert.Equal(expected, tree.Root);
    }

    [Fact]
    public void Root_TwoKeysSplitAtFirstBit_IsInnerNodeOfTheirLeaves()
    {
        var left = KeyWithFirstByte(0x00);
        var right = KeyWithFirstByte(0x80);
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        Update(tree, (right, Value(2)), (left, Value(1)));

        var leftLeaf = Keccak256.Compute([0x00, .. left.Bytes, .. Value(1).Bytes]);
        var rightLeaf = Keccak256.Compute([0x00, .. right.Bytes, .. Value(2).Bytes]);
        Assert.Equal(Keccak256.Compute([0x01, .. leftLeaf.Bytes, .. rightLeaf.Bytes]), tree.Root);
    }

    [Fact]
    public void Update_RandomBatches_RootEqualsFromScratchAndNoStaleNodes()
    {
        var property = Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var random = new Random(seed);
                var store = new InMemoryMerkleNodeStore();
                var tree = new SparseMerkleTree(store);
                var model = new Dictionary<Hash256, Hash256>();
                var pool = Enumerable.Range(0, random.Next(1, 60)).Select(i => Key(seed * 1000 + i)).ToArray();
                for (var batch = 0; batch < 8; batch++)
                {
                    var updates = new Dictionary<Hash256, Hash256>();
                    for (var i = random.Next(0, 25); i > 0; i--)
                    {
                        var key = pool[random.Next(pool.Length)];
                        updates[key] = random.Next(4) == 0 ? Hash256.Zero : Value(random.Next());
                    }
                    var span = updates.Select(u => new MerkleUpdate(u.Key, u.Value)).ToArray();
                    var root = tree.Update(span);
                    foreach (var (key, value) in updates)
                    {
                        if (value.IsZero)
                        {
                            model.Remove(key);
                        }
                        else
                        {
                            model[key] = value;
                        }
                    }
                    var fresh = new InMemoryMerkleNodeStore();
                    new SparseMerkleTree(fresh).Update(model.Select(m => new MerkleUpdate(m.Key, m.Value)).ToArray());
                    if (root != ReferenceRoot(model) || root != tree.Root || store.Count != fresh.Count)
                    {
                        return false;
                    }
                }
                return true;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    [Fact]
    public void Update_RemoveEverything_EmptyRootAndEmptyStore()
    {
        var store = new InMemoryMerkleNodeStore();
        var tree = new SparseMerkleTree(store);
        var keys = Enumerable.Range(0, 100).Select(Key).ToArray();
        tree.Update(keys.Select(k => new MerkleUpdate(k, Value(7))).ToArray());
        Assert.True(store.Count > 100);

        tree.Update(keys.Take(50).Select(k => MerkleUpdate.Remove(k)).ToArray());
        tree.Update(keys.Skip(50).Select(k => MerkleUpdate.Remove(k)).ToArray());
        Assert.Equal(Hash256.Zero, tree.Root);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Update_KeysSharingAlmostAllBits_DeepPathsWork()
    {
        var bytes = new byte[32];
        var a = new Hash256(bytes);
        bytes[31] = 1; // differs only in the last bit
        var b = new Hash256(bytes);
        bytes[31] = 2;
        var c = new Hash256(bytes);
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var root = Update(tree, (a, Value(1)), (b, Value(2)), (c, Value(3)));
        Assert.Equal(ReferenceRoot(new() { [a] = Value(1), [b] = Value(2), [c] = Value(3) }), root);
        Assert.Equal(256, tree.GetProof(b).Siblings.Count);
        Assert.True(tree.GetProof(b).Verify(root, b, Value(2)));

        root = Update(tree, (a, Hash256.Zero));
        Assert.Equal(ReferenceRoot(new() { [b] = Value(2), [c] = Value(3) }), root);
    }

    [Fact]
    public void Update_SameKeyTwiceInBatch_Refused()
    {
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        Assert.Throws<ArgumentException>(() => Update(tree, (Key(1), Value(1)), (Key(1), Value(2))));
    }

    [Fact]
    public void Proof_PresentAndAbsentKeys_VerifyOnlyForTheTruth()
    {
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var present = Enumerable.Range(0, 300).Select(Key).ToArray();
        tree.Update(present.Select((k, i) => new MerkleUpdate(k, Value(i))).ToArray());
        var root = tree.Root;

        for (var i = 0; i < present.Length; i++)
        {
            var proof = tree.GetProof(present[i]);
            Assert.True(proof.Verify(root, present[i], Value(i)));
            Assert.False(proof.Verify(root, present[i], Value(i + 1)));
            Assert.False(proof.Verify(root, present[i], Hash256.Zero));
        }
        foreach (var absent in Enumerable.Range(1000, 300).Select(Key))
        {
            var proof = tree.GetProof(absent);
            Assert.True(proof.Verify(root, absent, Hash256.Zero));
            Assert.False(proof.Verify(root, absent, Value(1)));
        }

        // A proof is bound to its root: after a change elsewhere the old proof recomputes the old root only.
        var before = tree.GetProof(present[0]);
        Update(tree, (present[1], Value(999)));
        Assert.False(before.Verify(tree.Root, present[0], Value(0)));
        Assert.True(before.Verify(root, present[0], Value(0)));
        Assert.True(tree.GetProof(present[0]).Verify(tree.Root, present[0], Value(0)));
    }

    [Fact]
    public void Proof_OtherLeafNotOnPath_Refused()
    {
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var keys = Enumerable.Range(0, 20).Select(Key).ToArray();
        tree.Update(keys.Select(k => new MerkleUpdate(k, Value(1))).ToArray());
        var proofOfFirst = tree.GetProof(keys[0]);

        // keys[0]'s leaf does not lie on the path of a key that differs in the first bit: no absence proof.
        var elsewhere = MerklePath.WithBit(keys[0], 0, MerkleHashing.Bit(keys[0], 0) ^ 1);
        Assert.False(proofOfFirst.Verify(tree.Root, elsewhere, Hash256.Zero));
    }

    private static Hash256 Update(SparseMerkleTree tree, params (Hash256 Key, Hash256 Value)[] updates) =>
        tree.Update(updates.Select(u => new MerkleUpdate(u.Key, u.Value)).ToArray());

    /// <summary>The root by definition, from all leaves at once, with no store and no incremental step.</summary>
    private static Hash256 ReferenceRoot(Dictionary<Hash256, Hash256> leaves)
    {
        var sorted = leaves.OrderBy(l => l.Key).Select(l => (l.Key, l.Value)).ToList();
        return ReferenceRoot(sorted, 0);
    }

    private static Hash256 ReferenceRoot(List<(Hash256 Key, Hash256 Value)> leaves, int depth) => leaves.Count switch
    {
        0 => Hash256.Zero,
        1 => MerkleHashing.Leaf(leaves[0].Key, leaves[0].Value),
        _ => MerkleHashing.Node(
            ReferenceRoot(leaves.Where(l => MerkleHashing.Bit(l.Key, depth) == 0).ToList(), depth + 1),
            ReferenceRoot(leaves.Where(l => MerkleHashing.Bit(l.Key, depth) == 1).ToList(), depth + 1)),
    };

    private static Hash256 Key(int i) => Keccak256.Compute(BitConverter.GetBytes(i));

    private static Hash256 Value(int i) => Keccak256.Compute(BitConverter.GetBytes(~i));

    private static Hash256 KeyWithFirstByte(byte first)
    {
        var bytes = new byte[32];
        bytes[0] = first;
        bytes[31] = 0x55;
        return new Hash256(bytes);
    }
}
