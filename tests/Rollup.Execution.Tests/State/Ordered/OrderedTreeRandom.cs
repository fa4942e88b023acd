using System.Buffers.Binary;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Tests.State.Ordered;

/// <summary>
/// A seeded source of keys, values and sizes for the ordered tree's tests (SplitMix64, so a seed gives the same
/// sequence on every runtime, which the committed vectors rely on). Keys come in the shapes the tree must handle:
/// book keys (u64 price ‖ u64 order id ‖ zeros) at a few prices, clusters that differ only in their last bits
/// (paths of ~250 levels), uniformly random keys and the extremes.
/// </summary>
internal sealed class OrderedTreeRandom(ulong seed)
{
    private ulong _state = seed;
    private ulong _nextOrderId = 1 + (seed % 1000);

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform enough in [0, n) for tests.</summary>
    public int Below(int n) => (int)(Next() % (ulong)n);

    public Hash256 RandomHash()
    {
        Span<byte> bytes = stackalloc byte[32];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes[(8 * i)..], Next());
        }
        return new Hash256(bytes);
    }

    public Hash256 ValueHash() => Keccak256.Compute(BitConverter.GetBytes(Next()));

    /// <summary>Mostly modest sizes, sometimes zero, sometimes large (still far from overflowing a few hundred leaves).</summary>
    public ulong Size() => Below(8) switch
    {
        0 => 0,
        1 => Next() >> 8,
        _ => Next() % 1_000_000,
    };

    /// <summary>A pool of keys to draw operations from, so that keys come back for updates and deletes.</summary>
    public Hash256[] KeyPool(int size)
    {
        var prices = Enumerable.Range(0, 1 + Below(5)).Select(_ => 3_000_000UL + (Next() % 64)).ToArray();
        var cluster = RandomHash();
        var pool = new Hash256[size];
        for (var i = 0; i < size; i++)
        {
            pool[i] = Below(10) switch
            {
                < 4 => BookKey(prices[Below(prices.Length)], _nextOrderId++),
                < 6 => InCluster(cluster),
                < 9 => RandomHash(),
                _ => Below(2) == 0 ? Hash256.Zero : AllOnes,
            };
        }
        return pool;
    }

    public static Hash256 BookKey(ulong price, ulong orderId)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(bytes, price);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], orderId);
        return new Hash256(bytes);
    }

    public static Hash256 AllOnes { get; } = new(Enumerable.Repeat((byte)0xFF, 32).ToArray());

    /// <summary>The cluster's key with its last byte replaced: keys that share their first 248 bits.</summary>
    private Hash256 InCluster(Hash256 cluster)
    {
        Span<byte> bytes = stackalloc byte[32];
        cluster.CopyTo(bytes);
        bytes[31] = (byte)Next();
        return new Hash256(bytes);
    }
}
