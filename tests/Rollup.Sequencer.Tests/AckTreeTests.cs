using Rollup.Execution.Acks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Sequencer.Admission;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests;

public sealed class AckTreeTests
{
    private static readonly PrivateKey SequencerKey = ChainFlowGenerator.KeyOf(0xFFF9);
    private static readonly Eip712Domain Domain = RollupDomain.Create(31337, Address.Zero);

    private static Hash256 TxHash(int i) => Keccak256.Compute(BitConverter.GetBytes(i * 7919 + 1));

    private static Signature SignRoot(Hash256 root) => AckSigning.Sign(root, Domain, SequencerKey);

    /// <summary>The root by the rule of docs/acks.md, recursively: pairs at each level, an odd last node carried up.</summary>
    private static byte[] ReferenceRoot(List<byte[]> level)
    {
        if (level.Count == 1)
        {
            return level[0];
        }
        var above = new List<byte[]>();
        for (var i = 0; i < level.Count; i += 2)
        {
            if (i + 1 == level.Count)
            {
                above.Add(level[i]);
                continue;
            }
            var (a, b) = level[i].AsSpan().SequenceCompareTo(level[i + 1]) <= 0 ? (level[i], level[i + 1]) : (level[i + 1], level[i]);
            above.Add(Keccak256.Compute(a.Concat(b).ToArray()).ToArray());
        }
        return ReferenceRoot(above);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(128)]
    [InlineData(300)]
    public void Build_EveryLeafProvesIntoTheSignedRoot(int count)
    {
        const ulong first = 1_000_000;
        var leaves = Enumerable.Range(0, count).Select(i => AckTree.Leaf(first + (ulong)i, TxHash(i))).ToArray();
        var tree = AckTree.Build(leaves, SignRoot);

        Assert.Equal(ReferenceRoot(leaves.Select(l => l.ToArray()).ToList()), tree.Root.ToArray());
        var depth = (int)Math.Ceiling(Math.Log2(count));
        var signature = tree.Signature;
        for (var i = 0; i < count; i++)
        {
            var proof = tree.Proof(i);
            Assert.True(proof.Length <= 32 * depth);
            Assert.Equal(SequencerKey.Address, AckReceipts.Signer(first + (ulong)i, TxHash(i), tree.Root, proof, tree.Signature, Domain));
            Assert.True(AckSigning.TryRecoverSigner(first + (ulong)i, TxHash(i), tree.Root, proof, signature.Bytes, Domain, out var signer, out var error), error);
            Assert.Equal(SequencerKey.Address, signer);
        }
    }

    [Fact]
    public void OneLeaf_RootIsTheLeafAndTheProofIsEmpty()
    {
        var leaf = AckTree.Leaf(5, TxHash(5));
        var tree = AckTree.Build([leaf], SignRoot);
        Assert.Equal(leaf, tree.Root);
        Assert.Empty(tree.Proof(0));
    }

    [Fact]
    public void TamperedAck_DoesNotVerify()
    {
        var leaves = Enumerable.Range(0, 10).Select(i => AckTree.Leaf((ulong)i, TxHash(i))).ToArray();
        var tree = AckTree.Build(leaves, SignRoot);
        var proof = tree.Proof(3);
        var signature = tree.Signature;

        // Another position, another hash, a bent proof, a cut proof: none leads to the root.
        Assert.False(AckSigning.TryRecoverSigner(4, TxHash(3), tree.Root, proof, signature.Bytes, Domain, out _, out var error));
        Assert.Contains("does not lead", error, StringComparison.Ordinal);
        Assert.False(AckSigning.TryRecoverSigner(3, TxHash(4), tree.Root, proof, signature.Bytes, Domain, out _, out _));
        var bent = (byte[])proof.Clone();
        bent[^1] ^= 1;
        Assert.False(AckSigning.TryRecoverSigner(3, TxHash(3), tree.Root, bent, signature.Bytes, Domain, out _, out _));
        Assert.False(AckSigning.TryRecoverSigner(3, TxHash(3), tree.Root, proof.AsSpan(0, proof.Length - 1), signature.Bytes, Domain, out _, out error));
        Assert.Contains("32-byte", error, StringComparison.Ordinal);

        // A root signed in another domain (another chain) recovers to someone else.
        var otherChain = RollupDomain.Create(1, Address.Zero);
        Assert.True(AckSigning.TryRecoverSigner(3, TxHash(3), tree.Root, proof, signature.Bytes, otherChain, out var signer, out _));
        Assert.NotEqual(SequencerKey.Address, signer);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(128)]
    public async Task Signer_RunsSignedTogetherShareTreesOfAtMostMaxLeaves(int maxLeaves)
    {
        await using var signer = new AckSigner(Domain, SequencerKey, maxLeaves);
        var runs = new[] { 1, 37, 200, 3, 90 };
        var next = 100UL;
        var pending = new List<(ulong First, Hash256[] Hashes, AckTree[] Trees, int[] Leaves, Task Done)>();
        foreach (var count in runs)
        {
            var hashes = Enumerable.Range(0, count).Select(i => TxHash((int)next + i)).ToArray();
            var trees = new AckTree[count];
            var leaves = new int[count];
            pending.Add((next, hashes, trees, leaves, signer.SignAsync(next, hashes, count, trees, leaves)));
            next += (ulong)count;
        }
        await Task.WhenAll(pending.Select(p => p.Done));

        var distinct = new HashSet<AckTree>(ReferenceEqualityComparer.Instance);
        foreach (var (first, hashes, trees, leaves, _) in pending)
        {
            for (var k = 0; k < hashes.Length; k++)
            {
                var tree = trees[k];
                distinct.Add(tree);
                Assert.InRange(tree.LeafCount, 1, maxLeaves);
                Assert.Equal(SequencerKey.Address, AckReceipts.Signer(first + (ulong)k, hashes[k], tree.Root, tree.Proof(leaves[k]), tree.Signature, Domain));
            }
        }
        // Every ack is in exactly one tree, and each tree has one signature (rounds may split the runs any way).
        Assert.Equal(runs.Sum(), distinct.Sum(t => t.LeafCount));
        Assert.True(distinct.Count >= (runs.Sum() + maxLeaves - 1) / maxLeaves);
        if (maxLeaves == 1)
        {
            Assert.All(distinct, t => Assert.Empty(t.Proof(0)));
        }
    }

    [Fact]
    public async Task Signer_ARoundOverTheLimit_SplitsIntoTreesOfEqualSize()
    {
        // One request on an idle signer is one round: 130 acks at most 128 a tree make two of 65, not 128 and 2.
        await using var signer = new AckSigner(Domain, SequencerKey, 128);
        var hashes = Enumerable.Range(0, 130).Select(TxHash).ToArray();
        var trees = new AckTree[130];
        var leaves = new int[130];
        await signer.SignAsync(0, hashes, 130, trees, leaves);

        Assert.Equal([65, 65], trees.Distinct().Select(t => t.LeafCount));
        Assert.Equal(Enumerable.Range(0, 65).Concat(Enumerable.Range(0, 65)), leaves);
    }
}
