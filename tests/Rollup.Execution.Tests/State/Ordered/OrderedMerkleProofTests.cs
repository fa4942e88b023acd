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
                var step = proof.Steps[i];
                var sibling = step.Sibling;
                var flipped = sibling.Hash.ToArray();
                flipped[31] ^= 1;
                foreach (var tampered in new[]
                {
                    sibling with { Hash = new Hash256(flipped) },
                    sibling with { Count = sibling.Count + 1 },
                    sibling with { Size = sibling.Size + 1 },
                })
                {
                    var steps = proof.Steps.ToArray();
                    steps[i] = step with { Sibling = tampered };
                    Assert.False((proof with { Steps = steps }).VerifyPresent(root, key, leaf.ValueHash, leaf.Size));
                }
                var moved = proof.Steps.ToArray();
                moved[i] = step with { Bit = (byte)(step.Bit + 1) };
                Assert.False(Verifies(proof with { Steps = moved }, root, key, leaf));
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
        // A's path splits on bits 0 and 2, and A and B differ at bit 2: A's leaf does not lie on B's path.
        Assert.Equal(OrderedProofError.LeafOffPath, Refusal(() => proofOfA.VerifyAbsent(root, B)));
        // C's path splits on bits 0 and 1; a key 101… has C's bits there, so C's proof proves that key absent.
        var besideC = KeyWithFirstByte(0xA0);
        Assert.True(tree.GetProof(C).VerifyAbsent(root, besideC));
        Assert.False(tree.GetProof(C).VerifyAbsent(root, C));
    }

    [Fact]
    public void Proof_DeeperThan256_Refused()
    {
        var steps = Enumerable.Range(0, 257).Select(i => new OrderedStep((byte)i, new OrderedNode(Value(9), 1, 1))).ToArray();
        var proof = new OrderedMerkleProof(steps, new OrderedLeaf(A, Value(1), 1));
        Assert.Equal(OrderedProofError.ProofTooDeep, Refusal(() => proof.ComputeRoot(A)));
        Assert.Equal(OrderedProofError.ProofTooDeep, Refusal(() => proof.PrefixCountAndSize(A)));
        Assert.Equal(OrderedProofError.ProofTooDeep, Refusal(() => proof.IsLeftmost(A)));
    }

    [Fact]
    public void Proof_ShapesNoTreeHas_Refused()
    {
        var proof = FourKeys().GetProof(A); // steps at bits 0 and 2
        var reversed = proof with { Steps = proof.Steps.Reverse().ToArray() };
        Assert.Equal(OrderedProofError.BitsOutOfOrder, Refusal(() => reversed.ComputeRoot(A)));
        var repeated = proof with { Steps = [proof.Steps[0], proof.Steps[0] with { Sibling = proof.Steps[1].Sibling }] };
        Assert.Equal(OrderedProofError.BitsOutOfOrder, Refusal(() => repeated.ComputeRootAfterWrite(A, Value(1), 1)));

        var emptySibling = proof with { Steps = [proof.Steps[0], proof.Steps[1] with { Sibling = OrderedNode.Empty }] };
        Assert.Equal(OrderedProofError.EmptySibling, Refusal(() => emptySibling.ComputeRoot(A)));
        Assert.Equal(OrderedProofError.EmptySibling, Refusal(() => emptySibling.ComputeRootAfterDelete(A)));

        var noLeaf = proof with { Leaf = null };
        Assert.Equal(OrderedProofError.MissingLeaf, Refusal(() => noLeaf.ComputeRoot(A)));
        Assert.Equal(OrderedProofError.MissingLeaf, Refusal(() => noLeaf.PrefixCountAndSize(A)));
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
        var proof = new OrderedMerkleProof([new OrderedStep(0, crowded)], new OrderedLeaf(A, Value(1), 1));
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
        // 010… branches off above A and B's node at bit 2: its path ends in A's leaf, and B's subtree lies on A's side.
        var pastB = KeyWithFirstByte(0x40);
        Assert.Equal((2u, 30ul), tree.GetProof(pastB).PrefixCountAndSize(pastB));
        Assert.False(tree.GetProof(pastB).IsRightmost(pastB));
        // 0111… is not past C: still 2 below. 11111… is past every key.
        Assert.Equal((2u, 30ul), tree.GetProof(KeyWithFirstByte(0x7F)).PrefixCountAndSize(KeyWithFirstByte(0x7F)));
        Assert.Equal((4u, 100ul), tree.GetProof(OrderedTreeRandom.AllOnes).PrefixCountAndSize(OrderedTreeRandom.AllOnes));

        Assert.True(tree.GetProof(A).IsLeftmost(A));
        Assert.False(tree.GetProof(B).IsLeftmost(B));
        Assert.True(tree.GetProof(D).IsRightmost(D));
        Assert.False(tree.GetProof(C).IsRightmost(C));
        Assert.False(tree.GetProof(between).IsRightmost(between));
        Assert.True(tree.GetProof(Hash256.Zero).IsLeftmost(Hash256.Zero));
        Assert.False(tree.GetProof(Hash256.Zero).IsRightmost(Hash256.Zero));
    }

    private static bool Verifies(OrderedMerkleProof proof, Hash256 root, Hash256 key, OrderedLeaf leaf)
    {
        try
        {
            return proof.VerifyPresent(root, key, leaf.ValueHash, leaf.Size);
        }
        catch (InvalidOrderedProofException)
        {
            return false;
        }
    }

    private static OrderedProofError Refusal(Func<object> use) => Assert.Throws<InvalidOrderedProofException>(use).Error;
}
