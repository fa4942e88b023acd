using Rollup.Primitives.Compression;
using Rollup.Testing;

namespace Rollup.Primitives.Tests.Compression;

/// <summary>Deterministic inputs for the compression tests.</summary>
internal static class TestData
{
    public const int OrderLength = SampleOrderBatches.OrderLength;

    public static IEnumerable<ICompressionCodec> AllCodecs =>
        [CompressionCodecs.None, CompressionCodecs.Lz4, CompressionCodecs.Zstd];

    public static ICompressionCodec Codec(CompressionCodecId id) => CompressionCodecs.Get(id);

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Compressible but not trivial: runs and a small alphabet.</summary>
    public static byte[] TextLike(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = random.Next(8) == 0 ? (byte)random.Next(256) : (byte)('a' + random.Next(6));
        }
        return bytes;
    }

    public static byte[] SignedOrders(int count, int seed) => SampleOrderBatches.SignedOrders(count, seed);
}
