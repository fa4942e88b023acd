using FsCheck;
using FsCheck.Fluent;
using Rollup.Primitives.Compression;

namespace Rollup.Primitives.Tests.Compression;

public class RoundTripTests
{
    public static TheoryData<CompressionCodecId, int> CodecsAndSizes()
    {
        var data = new TheoryData<CompressionCodecId, int>();
        int[] sizes = [0, 1, 2, 15, 108, 4095, 4096, 65535, 65536, 65537, 131071, 131073, (1 << 20) + 3, 4 << 20];
        foreach (var codec in TestData.AllCodecs)
        {
            foreach (var size in sizes)
            {
                data.Add(codec.Id, size);
            }
        }
        return data;
    }

    public static TheoryData<CompressionCodecId> Codecs() => [.. TestData.AllCodecs.Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(CodecsAndSizes))]
    public void RandomData_RoundTrips_ThroughBothApis(CompressionCodecId id, int size)
    {
        AssertRoundTrip(TestData.Codec(id), TestData.RandomBytes(size, seed: size));
    }

    [Theory]
    [MemberData(nameof(CodecsAndSizes))]
    public void CompressibleData_RoundTrips_ThroughBothApis(CompressionCodecId id, int size)
    {
        AssertRoundTrip(TestData.Codec(id), TestData.TextLike(size, seed: size));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void SignedOrderBatch_RoundTrips(CompressionCodecId id)
    {
        var codec = TestData.Codec(id);
        var batch = TestData.SignedOrders(10_000, seed: 7);

        var compressed = AssertRoundTrip(codec, batch);

        if (id != CompressionCodecId.None)
        {
            Assert.True(compressed.Length < batch.Length * 0.9, $"{id}: {compressed.Length} of {batch.Length} bytes");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    [InlineData(108)]
    [InlineData(1_000)]
    public void SmallOrderBatches_RoundTrip_WithEveryCodec(int count)
    {
        var batch = TestData.SignedOrders(count, seed: count);
        foreach (var codec in TestData.AllCodecs)
        {
            AssertRoundTrip(codec, batch);
        }
    }

    [Theory]
    [InlineData(-20)]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(9)]
    [InlineData(Lz4FrameCodec.MaxLevel)]
    public void Lz4_EveryLevel_RoundTripsAndIsReadByTheDefaultCodec(int level)
    {
        var batch = TestData.SignedOrders(2_000, seed: 3);
        var compressed = new Lz4FrameCodec(level).Compress(batch);

        Assert.Equal(batch, CompressionCodecs.Lz4.Decompress(compressed, batch.Length));
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(1)]
    [InlineData(ZstdCodec.DefaultLevel)]
    [InlineData(19)]
    public void Zstd_EveryLevel_RoundTripsAndIsReadByTheDefaultCodec(int level)
    {
        var batch = TestData.SignedOrders(2_000, seed: 3);
        var compressed = new ZstdCodec(level).Compress(batch);

        Assert.Equal(batch, CompressionCodecs.Zstd.Decompress(compressed, batch.Length));
    }

    [Fact]
    public void HigherLevels_CompressOrdersSmaller()
    {
        var batch = TestData.SignedOrders(10_000, seed: 11);

        Assert.True(new Lz4FrameCodec(9).Compress(batch).Length < new Lz4FrameCodec(0).Compress(batch).Length);
        Assert.True(new ZstdCodec(19).Compress(batch).Length < new ZstdCodec(1).Compress(batch).Length);
    }

    [Fact]
    public void Property_AnyBytes_RoundTripWithEveryCodec()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            foreach (var codec in TestData.AllCodecs)
            {
                var compressed = codec.Compress(bytes);
                Assert.Equal(bytes, codec.Decompress(compressed, bytes.Length));
                var destination = new byte[bytes.Length];
                Assert.Equal(bytes.Length, codec.Decompress(compressed, destination));
                Assert.Equal(bytes, destination);
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Property_LargerShapedInputs_RoundTripWithEveryCodec()
    {
        // Length, seed and shape, built with System.Random: FsCheck's own byte[] stays small.
        var inputs = Gen.Choose(0, 300_000)
            .SelectMany(length => Gen.Choose(0, int.MaxValue - 1), (length, seed) => (length, seed))
            .SelectMany(ls => Gen.Choose(0, 2), (ls, shape) => (ls.length, ls.seed, shape));
        var property = Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            var bytes = input.shape switch
            {
                0 => TestData.RandomBytes(input.length, input.seed),
                1 => TestData.TextLike(input.length, input.seed),
                _ => TestData.SignedOrders(input.length / TestData.OrderLength, input.seed),
            };
            foreach (var codec in TestData.AllCodecs)
            {
                Assert.Equal(bytes, codec.Decompress(codec.Compress(bytes), bytes.Length));
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property);
    }

    [Fact]
    public void SharedCodecs_AreSafeAcrossThreads()
    {
        var inputs = Enumerable.Range(0, 64).Select(i => TestData.SignedOrders(200 + i, seed: i)).ToArray();
        Parallel.For(0, inputs.Length, i =>
        {
            foreach (var codec in TestData.AllCodecs)
            {
                Assert.Equal(inputs[i], codec.Decompress(codec.Compress(inputs[i]), inputs[i].Length));
            }
        });
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Compress_IntoTooSmallDestination_IsAnArgumentError(CompressionCodecId id)
    {
        var codec = TestData.Codec(id);
        var source = TestData.RandomBytes(1000, seed: 1);
        var destination = new byte[codec.MaxCompressedLength(source.Length) - 1];

        var error = Assert.Throws<ArgumentException>(() => codec.Compress(source, destination));
        Assert.Equal("destination", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void NegativeLengths_AreArgumentErrors(CompressionCodecId id)
    {
        var codec = TestData.Codec(id);

        Assert.Throws<ArgumentOutOfRangeException>(() => codec.MaxCompressedLength(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => codec.Decompress(codec.Compress([1, 2, 3]), -1));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void MaxCompressedLength_CoversIncompressibleInput(CompressionCodecId id)
    {
        var codec = TestData.Codec(id);
        foreach (var size in new[] { 0, 1, 65536, 1 << 20 })
        {
            var source = TestData.RandomBytes(size, seed: size);
            var destination = new byte[codec.MaxCompressedLength(size)];
            Assert.InRange(codec.Compress(source, destination), 0, destination.Length);
        }
    }

    private static byte[] AssertRoundTrip(ICompressionCodec codec, byte[] original)
    {
        var compressed = codec.Compress(original);

        // Span form into a buffer of the bound must write exactly what the array form returns.
        var bounded = new byte[codec.MaxCompressedLength(original.Length)];
        var written = codec.Compress(original, bounded);
        Assert.Equal(compressed, bounded.AsSpan(0, written).ToArray());

        // Array form, limit exactly the length.
        Assert.Equal(original, codec.Decompress(compressed, original.Length));

        // Span form into an exact buffer and into a larger one.
        var exact = new byte[original.Length];
        Assert.Equal(original.Length, codec.Decompress(compressed, exact));
        Assert.Equal(original, exact);
        var larger = new byte[original.Length + 100];
        Assert.Equal(original.Length, codec.Decompress(compressed, larger));
        Assert.Equal(original, larger.AsSpan(0, original.Length).ToArray());
        return compressed;
    }
}
