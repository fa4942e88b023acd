using FsCheck;
using FsCheck.Fluent;
using Rollup.Execution.State.Ordered;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using static Rollup.Execution.Tests.State.Ordered.OrderedTreeReference;

namespace Rollup.Execution.Tests.State.Ordered;

public class OrderedMerkleTreeTests
{
    [Fact]
    public void Root_EmptyTree_IsAllZero()
    {
        Assert.Equal(OrderedNode.Empty, new OrderedMerkleTree().Root);
        Assert.Equal(Hash256.Zero, new OrderedMerkleTree().Root.Hash);
    }

    /// <summary>
    /// A clone copies nodes with their summaries: its root is that of a tree built afresh from the same leaves, and
    /// writes to either one leave the other as it was.
    /// </summary>
    [Fact]
    public void Clone_IsATreeOfItsOwnWithTheRootOfAFreshBuild()
    {
        var tree = new OrderedMerkleTree();
        var fresh = new OrderedMerkleTree();
        for (var i = 0; i < 200; i++)
        {
            var key = Keccak256.Compute(BitConverter.GetBytes(i));
            tree.Set(key, Value(i), (ulong)i + 1);
            fresh.Set(key, Value(i), (ulong)i + 1);
        }
        tree.Remove(Keccak256.Compute(BitConverter.GetBytes(7)));
        fresh.Remove(Keccak256.Compute(BitConverter.GetBytes(7)));
        var before = tree.Root;

        var clone = tree.Clone();
        Assert.Equal(fresh.Root, clone.Root);
        Assert.Equal(tree.NodeCount, clone.NodeCount);

        clone.Set(KeyWithFirstByte(0x01), Value(1_000), 5);
        clone.Remove(Keccak256.Compute(BitConverter.GetBytes(8)));
        Assert.Equal(before, tree.Root);
        tree.Set(Keccak256.Compute(BitConverter.GetBytes(9)), Value(2_000), 9);
        fresh.Set(KeyWithFirstByte(0x01), Value(1_000), 5);
        fresh.Remove(Keccak256.Compute(BitConverter.GetBytes(8)));
        Assert.Equal(fresh.Root, clone.Root);
        Assert.NotEqual(before, tree.Root);
    }

    [Fact]
    public void Root_OneLeaf_IsItsLeafHashBySpecification()
    {
        var tree = new OrderedMerkleTree();
        var key = KeyWithFirstByte(0x42);
        tree.Set(key, Value(1), 0x0102030405060708);

        // keccak256(0x00 ‖ key ‖ valueHash ‖ u64 size), the size big-endian.
        var expected = Keccak256.Compute([0x00, .. key.Bytes, .. Value(1).Bytes, 1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Equal(new OrderedNode(expected, 1, 0x0102030405060708), tree.Root);
    }

    [Fact]
    public void Root_TwoLeavesApartAtBitZero_IsInnerNodeWithTheirSums()
    {
        var left = KeyWithFirstByte(0x7F);
        var right = KeyWithFirstByte(0x80);
        var tree = new OrderedMerkleTree();
        tree.Set(right, Value(2), 0x300);
        tree.Set(left, Value(1), 0x200);

        var leftLeaf = Keccak256.Compute([0x00, .. left.Bytes, .. Value(1).Bytes, 0, 0, 0, 0, 0, 0, 0x02, 0x00]);
        var rightLeaf = Keccak256.Compute([0x00, .. right.Bytes, .. Value(2).Bytes, 0, 0, 0, 0, 0, 0, 0x03, 0x00]);
        // keccak256(0x01 ‖ u8 bit ‖ left ‖ right ‖ u32 count ‖ u64 size)
        var expected = Keccak256.Compute([0x01, 0x00, .. leftLeaf.Bytes, .. rightLeaf.Bytes, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0x05, 0x00]);
        Assert.Equal(new OrderedNode(expected, 2, 0x500), tree.Root);
    }

    [Fact]
    public void Root_TwoLeavesSharingTwoBits_OneInnerNodeAtTheirFirstDifferingBit()
    {
        var a = KeyWithFirstByte(0x00); // 000…
        var b = KeyWithFirstByte(0x20); // 001…
        var tree = new OrderedMerkleTree();
        tree.Set(a, Value(1), 5);
        tree.Set(b, Value(2), 7);

        var leafA = Keccak256.Compute([0x00, .. a.Bytes, .. Value(1).Bytes, 0, 0, 0, 0, 0, 0, 0, 5]);
        var leafB = Keccak256.Compute([0x00, .. b.Bytes, .. Value(2).Bytes, 0, 0, 0, 0, 0, 0, 0, 7]);
        var expected = Keccak256.Compute([0x01, 0x02, .. leafA.Bytes, .. leafB.Bytes, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 12]);
        Assert.Equal(new OrderedNode(expected, 2, 12), tree.Root);
        var proof = tree.GetProof(a);
        Assert.Equal(1, proof.Depth);
        Assert.Equal(2, proof.Steps[0].Bit);
        Assert.Equal(3, tree.NodeCount);
    }

    [Fact]
    public void Set_KeyBranchingAboveAnInnerNode_JoinsThePathThere()
    {
        var a = KeyWithFirstByte(0x00); // 000…
        var b = KeyWithFirstByte(0x20); // 001…
        var c = KeyWithFirstByte(0x40); // 010…: splits from a and b at bit 1, above their node at bit 2
        var tree = new OrderedMerkleTree();
        tree.Set(a, Value(1), 1);
        tree.Set(b, Value(2), 2);
        tree.Set(c, Value(3), 3);

        var expected = Inner(1, Inner(2, Leaf(a, Value(1), 1), Leaf(b, Value(2), 2)), Leaf(c, Value(3), 3));
        Assert.Equal(expected.Hash, tree.Root.Hash);
        Assert.Equal([1, 2], tree.GetProof(a).Steps.Select(s => (int)s.Bit));
        Assert.Equal([1], tree.GetProof(c).Steps.Select(s => (int)s.Bit));
    }

    [Fact]
    public void Remove_LeafBesideASubtree_TheSubtreeTakesItsParentsPlace()
    {
        var a = KeyWithFirstByte(0x00); // 000…
        var b = KeyWithFirstByte(0x20); // 001…
        var c = KeyWithFirstByte(0x80); // 1…
        var tree = new OrderedMerkleTree();
        tree.Set(a, Value(1), 1);
        tree.Set(b, Value(2), 2);
        tree.Set(c, Value(3), 3);
        Assert.Equal(2, tree.GetProof(a).Depth);

        Assert.True(tree.Remove(c));

        Assert.Equal(Inner(2, Leaf(a, Value(1), 1), Leaf(b, Value(2), 2)).Hash, tree.Root.Hash);
        Assert.Equal(1, tree.GetProof(b).Depth);
        Assert.Equal(3, tree.NodeCount);
        Assert.False(tree.Remove(c));
    }

    [Fact]
    public void Depth_ThousandRandomKeys_StaysNearLog2()
    {
        var random = new OrderedTreeRandom(3);
        var tree = new OrderedMerkleTree();
        var keys = new List<Hash256>();
        for (var i = 0; i < 1000; i++)
        {
            var key = random.RandomHash();
            keys.Add(key);
            tree.Set(key, Value(i), 1);
        }
        // A trie over uniform keys: expected depth about log2(1000) ≈ 10; the deepest leaf rarely past 2·log2(n).
        Assert.InRange(keys.Max(k => tree.GetProof(k).Depth), 10, 24);
        Assert.Equal(1999, tree.NodeCount);
    }

    [Fact]
    public void Remove_EveryKey_EmptyTreeAndNoNodesLeft()
    {
        var random = new OrderedTreeRandom(7);
        var tree = new OrderedMerkleTree();
        var keys = random.KeyPool(80).Distinct().ToArray();
        foreach (var key in keys)
        {
            tree.Set(key, random.ValueHash(), random.Size());
        }
        foreach (var key in keys.Reverse())
        {
            Assert.True(tree.Remove(key));
        }
        Assert.Equal(OrderedNode.Empty, tree.Root);
        Assert.Equal(0, tree.NodeCount);
    }

    [Fact]
    public void Set_SizeSumPastUInt64_RefusedAndTreeUnchanged()
    {
        var tree = new OrderedMerkleTree();
        tree.Set(KeyWithFirstByte(0x10), Value(1), ulong.MaxValue - 5);
        tree.Set(KeyWithFirstByte(0x20), Value(2), 5);
        var before = tree.Root;
        var nodes = tree.NodeCount;

        Assert.Throws<OverflowException>(() => tree.Set(KeyWithFirstByte(0x30), Value(3), 1));
        Assert.Throws<OverflowException>(() => tree.Set(KeyWithFirstByte(0x20), Value(2), 6));
        Assert.Equal(before, tree.Root);
        Assert.Equal(nodes, tree.NodeCount);

        // Giving size back makes room.
        tree.Set(KeyWithFirstByte(0x20), Value(2), 4);
        tree.Set(KeyWithFirstByte(0x30), Value(3), 1);
        Assert.Equal(ulong.MaxValue, tree.Root.Size);
    }

    [Fact]
    public void Set_ExistingKey_UpdatesValueAndSizeNotCount()
    {
        var tree = new OrderedMerkleTree();
        var key = KeyWithFirstByte(0x10);
        tree.Set(key, Value(1), 10);
        tree.Set(KeyWithFirstByte(0x90), Value(2), 20);
        tree.Set(key, Value(3), 11);

        Assert.Equal((2u, 31ul), (tree.Root.Count, tree.Root.Size));
        Assert.True(tree.TryGet(key, out var leaf));
        Assert.Equal(new OrderedLeaf(key, Value(3), 11), leaf);
    }

    /// <summary>
    /// Random inserts, updates and deletes against a sorted dictionary: after each, the root is the reference
    /// builder's over the model's leaves (with no node left over), the proof taken before the operation gave that
    /// root, and proofs of keys present and absent tell the model's order (smaller keys' count and size, first, last).
    /// </summary>
    [Fact]
    public void Operations_RandomSequences_AgreeWithModelAndReference()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            RunRandomSequence((ulong)(uint)seed, operations: 40);
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    private static void RunRandomSequence(ulong seed, int operations)
    {
        var random = new OrderedTreeRandom(seed);
        var pool = random.KeyPool(4 + random.Below(40));
        var tree = new OrderedMerkleTree();
        var model = new SortedDictionary<Hash256, (Hash256 ValueHash, ulong Size)>();
        for (var op = 0; op < operations; op++)
        {
            var key = random.Below(8) == 0 ? random.RandomHash() : pool[random.Below(pool.Length)];
            var proof = tree.GetProof(key);
            var root = tree.Root;
            var present = model.TryGetValue(key, out var old);
            Assert.Equal(present, proof.VerifyPresent(root.Hash, key, old.ValueHash, old.Size));
            Assert.Equal(!present, proof.VerifyAbsent(root.Hash, key));
            Assert.Equal(root, proof.ComputeRoot(key));

            OrderedNode expected;
            if (random.Below(3) == 0)
            {
                if (!present)
                {
                    var error = Assert.Throws<InvalidOrderedProofException>(() => proof.ComputeRootAfterDelete(key)).Error;
                    Assert.Equal(OrderedProofError.NotAnInclusionProof, error);
                    Assert.False(tree.Remove(key));
                    Assert.Equal(root, tree.Root);
                    continue;
                }
                expected = proof.ComputeRootAfterDelete(key);
                Assert.True(tree.Remove(key));
                model.Remove(key);
            }
            else
            {
                var (valueHash, size) = (random.ValueHash(), random.Size());
                expected = proof.ComputeRootAfterWrite(key, valueHash, size);
                tree.Set(key, valueHash, size);
                model[key] = (valueHash, size);
            }

            var (reference, nodes) = Build(model.Select(m => (m.Key, m.Value.ValueHash, m.Value.Size)));
            Assert.Equal(expected, tree.Root);
            Assert.Equal(new OrderedNode(reference.Hash, reference.Count, reference.Size), tree.Root);
            Assert.Equal(nodes, tree.NodeCount);

            foreach (var probe in Probes(random, model, key))
            {
                CheckOrder(tree, model, probe);
            }
        }
    }

    /// <summary>The key just written, the model's first and last keys and their neighbours, and a random key.</summary>
    private static IEnumerable<Hash256> Probes(OrderedTreeRandom random, SortedDictionary<Hash256, (Hash256, ulong)> model, Hash256 key)
    {
        yield return key;
        yield return random.RandomHash();
        if (model.Count > 0)
        {
            var first = model.Keys.First();
            var last = model.Keys.Last();
            yield return first;
            yield return last;
            yield return Step(first, -1);
            yield return Step(last, +1);
            yield return Step(model.Keys.ElementAt(random.Below(model.Count)), random.Below(2) == 0 ? -1 : 1);
        }
    }

    private static void CheckOrder(OrderedMerkleTree tree, SortedDictionary<Hash256, (Hash256 ValueHash, ulong Size)> model, Hash256 probe)
    {
        var proof = tree.GetProof(probe);
        Assert.Equal(tree.Root, proof.ComputeRoot(probe));
        var smaller = model.Where(m => m.Key < probe).ToList();
        var expected = ((uint)smaller.Count, smaller.Aggregate(0UL, (sum, m) => sum + m.Value.Size));
        Assert.Equal(expected, proof.PrefixCountAndSize(probe));
        Assert.Equal(smaller.Count == 0, proof.IsLeftmost(probe));
        Assert.Equal(!model.Keys.Any(k => k > probe), proof.IsRightmost(probe));
    }

    /// <summary>The key one above or below as a 256-bit number (wrapping at the ends).</summary>
    private static Hash256 Step(Hash256 key, int delta)
    {
        var bytes = key.ToArray();
        for (var i = 31; i >= 0; i--)
        {
            var carry = delta > 0 ? bytes[i] == 0xFF : bytes[i] == 0x00;
            bytes[i] = (byte)(bytes[i] + delta);
            if (!carry)
            {
                break;
            }
        }
        return new Hash256(bytes);
    }

    internal static Hash256 Value(int i) => Keccak256.Compute(BitConverter.GetBytes(~i));

    internal static Hash256 KeyWithFirstByte(byte first)
    {
        var bytes = new byte[32];
        bytes[0] = first;
        bytes[31] = 0x55;
        return new Hash256(bytes);
    }
}
