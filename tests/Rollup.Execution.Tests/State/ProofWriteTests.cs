using Rollup.Execution.State.Merkle;
using Rollup.Primitives;

namespace Rollup.Execution.Tests.State;

/// <summary>
/// <see cref="MerkleProof.ComputeRootAfterWrite"/>, the root a one-step verifier computes from a single proof, against
/// the tree's own batch update: for updates, inserts into empty places, and inserts below another key's leaf, with
/// keys that share long prefixes (raw, unhashed keys, as ordered trees will use) as well as hashed ones.
/// </summary>
public sealed class ProofWriteTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 8)]
    [InlineData(3, 200)]
    [InlineData(4, 255)]
    public void RootAfterWrite_RandomWrites_SameRootAsTheTree(int seed, int sharedPrefixBits)
    {
        var random = new Random(seed);
        var tree = new SparseMerkleTree(new InMemoryMerkleNodeStore());
        var prefix = RandomKey(random);
        var keys = new List<Hash256>();
        for (var i = 0; i < 300; i++)
        {
            // Mostly new keys (sharing the first bits with every other), sometimes an update of a known one.
            var key = keys.Count > 0 && random.Next(4) == 0 ? keys[random.Next(keys.Count)] : WithPrefix(prefix, RandomKey(random), sharedPrefixBits);
            if (!keys.Contains(key))
            {
                keys.Add(key);
            }
            var value = RandomKey(random);
            var proof = tree.GetProof(key);
            var expected = tree.Update(new[] { new MerkleUpdate(key, value) }.AsSpan());
            Assert.Equal(expected, proof.ComputeRootAfterWrite(key, value));
        }
    }

    private static Hash256 RandomKey(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    /// <summary>The first <paramref name="bits"/> bits of <paramref name="prefix"/>, the rest of <paramref name="rest"/>.</summary>
    private static Hash256 WithPrefix(Hash256 prefix, Hash256 rest, int bits)
    {
        var bytes = rest.ToArray();
        var source = prefix.ToArray();
        for (var bit = 0; bit < bits; bit++)
        {
            var mask = (byte)(0x80 >> (bit & 7));
            bytes[bit >> 3] = (byte)((bytes[bit >> 3] & ~mask) | (source[bit >> 3] & mask));
        }
        return new Hash256(bytes);
    }
}
