using Rollup.Execution.State.Ordered;
using Rollup.Primitives;
using static Rollup.Execution.Tests.State.Ordered.OrderedMerkleTreeTests;
using static Rollup.Execution.Tests.State.Ordered.OrderedTreeReference;

namespace Rollup.Execution.Tests.State.Ordered;

/// <summary>Proofs that must not say what they are asked: tampered, for another key, or not the shape of any tree.</summary>
public class OrderedMerkleProofTests
{
    // Keys named by their first bits: A 000, B 001, C 100, D 110.
    private static readonly Hash256 A = KeyWithFirstByte(0x00);
    private static readonly Hash256 B = KeyWithFirstByte(0x20);
    private static readonly Hash256 C = KeyWithFirstByte(0x80);
    private static readonly Hash256 D = KeyWithFirstByte(0xC0);

    private static OrderedMerkleTree FourKeys()
    {
        var tree = new OrderedMerkleTree();
        tree.Set(A, Value(1), 10);
        tree.Set(B, Value(2), 20);
        tree.Set(C, Value(3), 30);
        tree.Set(D, Value(4), 40);
        return tree;
    }

    [Fact]
    public void Verify_EverySiblingTampered_DoesNotVerify()
    {
        var tree = FourKeys();
        var root = tree.Root.Hash;
        foreach (var key in new[] { A, B, C, D })
        {
            Assert.True(tree.TryGet(key, out var leaf));
            var proof = tree.GetProof(key);
            Assert.True(proof.VerifyPresent(root, key, leaf.ValueHash, leaf.Size));
            for (var i = 0; i < proof.Depth; i++)
            {
                var sibling = proof.Siblings[i];
                var flipped = sibling.Hash.ToArray();
                flipped[31] ^= 1;
                foreach (var tampered in new[]
                {
                    sibling with { Hash = new Hash256(flipped) },
                    sibling with { Count = sibling.Count + 1 },
                    sibling with { Size = sibling.Size + 1 },
                })
                {
                    var siblings = proof.Siblings.ToArray();
                    siblings[i] = tampered;
                    Assert.False((proof with { Siblings = siblings }).VerifyPresent(root, key, leaf.ValueHash, leaf.Size));
                }
            }
            Assert.False(proof.VerifyPresent(root, key, Value(99), leaf.Size));
            Assert.False(proof.VerifyPresent(root, key, leaf.ValueHash, leaf.Size + 1));
            Assert.False(proof.VerifyAbsent(root, key));
        }
    }

    [Fact]
    public void Verify_ProofOfAnotherKey_DoesNotVerify()
    {
        var tree = FourKeys();
        var root = tree.Root.Hash;
        var proofOfA = tree.GetProof(A);
        Assert.False(proofOfA.VerifyPresent(root, B, Value(2), 20));
        // B shares A's first two bits only; A's path is three deep, so A's leaf does not lie on B's path.
        Assert.Equal(OrderedProofError.LeafOffPath, Refusal(() => proofOfA.VerifyAbsent(root, B)));
        // C's proof ends in C's leaf at depth 2; a key 101… has the same two first bits, so it proves that key absent.
        var besideC = KeyWithFirstByte(0xA0);
        Assert.True(tree.GetProof(C).VerifyAbsent(root, besideC));
        Assert.False(tree.GetProof(C).VerifyAbsent(root, C));
    }

    [Fact]
    public void Proof_DeeperThan256_Refused()
    {
        var siblings = Enumerable.Repeat(OrderedNode.Empty, 257).ToArray();
        var proof = new OrderedMerkleProof(siblings, new OrderedLeaf(A, Value(1), 1), Hash256.Zero, Hash256.Zero);
        Assert.Equal(OrderedProofError.ProofTooDeep, Refusal(() => proof.ComputeRoot(A)));
        Assert.Equal(OrderedProofError.ProofTooDeep, Refusal(() => proof.PrefixCountAndSize(A)));
        Assert.Equal(OrderedProofError.ProofTooDeep, Refusal(() => proof.IsLeftmost(A)));
    }

    [Fact]
    public void Proof_EndsNoTreeHas_RefusedAsNonCanonical()
    {
        var lone = Leaf(C, Value(3), 30);
        var loneNode = new OrderedNode(lone.Hash, lone.Count, lone.Size);
        // Nothing beside a lone leaf: that leaf would sit one level up.
        var emptyBesideLeaf = new OrderedMerkleProof([loneNode], null, C, Value(3));
        Assert.Equal(OrderedProofError.NonCanonicalEnd, Refusal(() => emptyBesideLeaf.ComputeRoot(A)));
        Assert.Equal(OrderedProofError.NonCanonicalEnd, Refusal(() => emptyBesideLeaf.ComputeRootAfterWrite(A, Value(1), 1)));
        // A leaf beside nothing: it would sit one level up.
        var leafBesideEmpty = new OrderedMerkleProof([OrderedNode.Empty], new OrderedLeaf(A, Value(1), 1), Hash256.Zero, Hash256.Zero);
        Assert.Equal(OrderedProofError.NonCanonicalEnd, Refusal(() => leafBesideEmpty.ComputeRoot(A)));
        Assert.Equal(OrderedProofError.NonCanonicalEnd, Refusal(() => leafBesideEmpty.ComputeRootAfterDelete(A)));
    }

    [Fact]
    public void Delete_DeepestSiblingLeafNotTheSibling_Refused()
    {
        var tree = FourKeys();
        var proof = tree.GetProof(A);
        Assert.Equal(B, proof.DeepestSiblingKey);
        Assert.Equal(OrderedProofError.DeepestSiblingLeafMismatch, Refusal(() => (proof with { DeepestSiblingKey = C }).ComputeRootAfterDelete(A)));
        Assert.Equal(OrderedProofError.DeepestSiblingLeafMismatch, Refusal(() => (proof with { DeepestSiblingValueHash = Value(9) }).ComputeRootAfterDelete(A)));
        // A write does not read it.
        Assert.Equal(proof.ComputeRootAfterWrite(A, Value(5), 5), (proof with { DeepestSiblingKey = C }).ComputeRootAfterWrite(A, Value(5), 5));
    }

    [Fact]
    public void Delete_AbsenceProof_Refused()
    {
        var tree = FourKeys();
        var absent = KeyWithFirstByte(0xA0);
        Assert.Equal(OrderedProofError.NotAnInclusionProof, Refusal(() => tree.GetProof(absent).ComputeRootAfterDelete(absent)));
        Assert.Equal(OrderedProofError.NotAnInclusionProof, Refusal(() => tree.GetProof(C).ComputeRootAfterDelete(absent)));
    }

    [Fact]
    public void Write_SumsPastTheirWidth_Refused()
    {
        var tree = new OrderedMerkleTree();
        tree.Set(C, Value(3), ulong.MaxValue);
        Assert.Equal(OrderedProofError.SizeOverflow, Refusal(() => tree.GetProof(A).ComputeRootAfterWrite(A, Value(1), 1)));
        Assert.Equal(ulong.MaxValue, tree.GetProof(C).ComputeRootAfterWrite(C, Value(4), ulong.MaxValue).Size);

        // A sibling claiming 2^32−1 leaves: joining one more does not fit a u32.
        var crowded = new OrderedNode(Value(7), uint.MaxValue, 0);
        var proof = new OrderedMerkleProof([crowded], new OrderedLeaf(A, Value(1), 1), Hash256.Zero, Hash256.Zero);
        Assert.Equal(OrderedProofError.CountOverflow, Refusal(() => proof.ComputeRoot(A)));
    }

    [Fact]
    public void Order_FourKeys_PrefixesAndEnds()
    {
        var tree = FourKeys();
        Assert.Equal((0u, 0ul), tree.GetProof(A).PrefixCountAndSize(A));
        Assert.Equal((1u, 10ul), tree.GetProof(B).PrefixCountAndSize(B));
        Assert.Equal((2u, 30ul), tree.GetProof(C).PrefixCountAndSize(C));
        Assert.Equal((3u, 60ul), tree.GetProof(D).PrefixCountAndSize(D));
        // 101… lies between C and D; its path ends in C's leaf, which counts as smaller.
        var between = KeyWithFirstByte(0xA0);
        Assert.Equal((3u, 60ul), tree.GetProof(between).PrefixCountAndSize(between));
        Assert.Equal((4u, 100ul), tree.GetProof(OrderedTreeRandom.AllOnes).PrefixCountAndSize(OrderedTreeRandom.AllOnes));

        Assert.True(tree.GetProof(A).IsLeftmost(A));
        Assert.False(tree.GetProof(B).IsLeftmost(B));
        Assert.True(tree.GetProof(D).IsRightmost(D));
        Assert.False(tree.GetProof(C).IsRightmost(C));
        Assert.False(tree.GetProof(between).IsRightmost(between));
        Assert.True(tree.GetProof(Hash256.Zero).IsLeftmost(Hash256.Zero));
        Assert.False(tree.GetProof(Hash256.Zero).IsRightmost(Hash256.Zero));
    }

    private static OrderedProofError Refusal(Func<object> use) => Assert.Throws<InvalidOrderedProofException>(use).Error;
}
