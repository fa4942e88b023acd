using System.Diagnostics;
using Rollup.Primitives.Compression;

namespace Rollup.Primitives.Tests.Compression;

[Collection(MemoryMeasurements.Name)]
public sealed class DecompressionLimitTests : IClassFixture<ZeroBombs>, IDisposable
{
    private const int OneMebibyte = 1 << 20;

    private readonly ZeroBombs _bombs;
    private readonly TempDirectory _temp = new();

    public DecompressionLimitTests(ZeroBombs bombs) => _bombs = bombs;

    public void Dispose() => _temp.Dispose();

    public static TheoryData<CompressionCodecId> FrameCodecs() => [CompressionCodecId.Lz4, CompressionCodecId.Zstd];

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void GibibyteOfZeros_IsRefusedAtOneMebibyte_QuicklyAndInLittleMemory(CompressionCodecId id)
    {
        var codec = CompressionCodecs.Get(id);
        var bomb = id == CompressionCodecId.Lz4 ? _bombs.Lz4 : _bombs.Zstd;
        Assert.True(bomb.Length < 8 * OneMebibyte, $"bomb is {bomb.Length} bytes"); // a ratio over 128:1
        var destination = new byte[OneMebibyte];
        var workingSet = Environment.WorkingSet;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var toArray = Assert.Throws<CompressionException>(() => codec.Decompress(bomb, OneMebibyte));
        var intoSpan = Assert.Throws<CompressionException>(() => codec.Decompress(bomb, destination));

        clock.Stop();
        var allocatedDelta = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var workingSetDelta = Environment.WorkingSet - workingSet;
        Assert.Equal(CompressionError.LimitExceeded, toArray.Error);
        Assert.Equal(CompressionError.LimitExceeded, intoSpan.Error);
        Assert.Contains("limit of 1048576 bytes", toArray.Message, StringComparison.Ordinal);
        // Managed: one pooled mebibyte at most, never the gibibyte.
        Assert.True(allocatedDelta < 4 * OneMebibyte, $"allocated {allocatedDelta} bytes");
        // Native: decoder buffers of a few MiB; decoding it all would add a gibibyte.
        Assert.True(workingSetDelta < 200L * OneMebibyte, $"working set grew {workingSetDelta} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void DeclaredSizeOverTheLimit_IsRefusedBeforeDecoding(CompressionCodecId id)
    {
        var codec = CompressionCodecs.Get(id);
        var frame = codec.Compress(new byte[2 * OneMebibyte]);
        var destination = new byte[OneMebibyte];
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var toArray = Assert.Throws<CompressionException>(() => codec.Decompress(frame, OneMebibyte));
        var intoSpan = Assert.Throws<CompressionException>(() => codec.Decompress(frame, destination));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64 * 1024, "nothing sized by the frame is allocated");
        Assert.Equal(CompressionError.DeclaredSizeExceedsLimit, toArray.Error);
        Assert.Equal(CompressionError.DeclaredSizeExceedsLimit, intoSpan.Error);
        Assert.Contains("declares a content size of 2097152 bytes, over the limit of 1048576", toArray.Message, StringComparison.Ordinal);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(CompressionCodecId.Lz4, 1UL << 40)]
    [InlineData(CompressionCodecId.Lz4, ulong.MaxValue)]
    [InlineData(CompressionCodecId.Lz4, (ulong)int.MaxValue + 1)]
    [InlineData(CompressionCodecId.Zstd, 1UL << 40)]
    [InlineData(CompressionCodecId.Zstd, (ulong)int.MaxValue + 1)]
    public void HugeDeclaredContentSize_IsRefusedEvenAtTheLargestLimit(CompressionCodecId id, ulong declared)
    {
        var frame = id == CompressionCodecId.Lz4
            ? FrameHeaders.Lz4DeclaringContentSize(declared)
            : FrameHeaders.ZstdDeclaringContentSize(declared);
        var codec = CompressionCodecs.Get(id);

        var error = Assert.Throws<CompressionException>(() => codec.Decompress(frame, int.MaxValue));

        Assert.Equal(CompressionError.DeclaredSizeExceedsLimit, error.Error);
        Assert.Contains($"declares a content size of {Math.Min(declared, long.MaxValue)} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Xxh32_MatchesTheHeaderChecksumLiblz4Wrote()
    {
        Assert.Equal(0x02CC5D05U, FrameHeaders.Xxh32([], 0));
        var frame = CompressionCodecs.Lz4.Compress(TestData.TextLike(1000, seed: 1));
        Assert.Equal(frame[14], FrameHeaders.Lz4HeaderChecksum(frame.AsSpan(4, 10)));
        Assert.Equal(frame, FrameHeaders.Lz4WithContentSize(frame, 1000));
    }

    public static TheoryData<CompressionCodecId, string, int> LimitCases() =>
        Cases(CompressionCodecId.None, CompressionCodecId.Lz4, CompressionCodecId.Zstd);

    public static TheoryData<CompressionCodecId, string, int> StreamedLimitCases() =>
        Cases(CompressionCodecId.Lz4, CompressionCodecId.Zstd);

    private static TheoryData<CompressionCodecId, string, int> Cases(params CompressionCodecId[] codecs)
    {
        var data = new TheoryData<CompressionCodecId, string, int>();
        foreach (var id in codecs)
        {
            foreach (var shape in new[] { "zeros", "random", "orders" })
            {
                foreach (var length in new[] { 1, 65536, 100_000 })
                {
                    data.Add(id, shape, length);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LimitCases))]
    public void OurFrames_ExactlyAtTheLimitPass_OneByteOverIsRefused(CompressionCodecId id, string shape, int length)
    {
        var original = Content(shape, length);
        var frame = CompressionCodecs.Get(id).Compress(original);

        var expected = id == CompressionCodecId.None ? CompressionError.LimitExceeded : CompressionError.DeclaredSizeExceedsLimit;
        AssertLimitIsExact(CompressionCodecs.Get(id), frame, original, expected);
    }

    [Theory]
    [MemberData(nameof(StreamedLimitCases))]
    public void StreamedCliFrames_ExactlyAtTheLimitPass_OneByteOverIsRefused(CompressionCodecId id, string shape, int length)
    {
        var original = Content(shape, length);
        var output = _temp.File("streamed");
        if (id == CompressionCodecId.Lz4)
        {
            CliTool.Run("lz4", ["-q", "-f", "-", output], CliTool.Bytes(original));
        }
        else
        {
            CliTool.Run("zstd", ["-q", "-f", "-", "-o", output], CliTool.Bytes(original));
        }

        // No declared size: only the decoder's own count of output can stop it.
        AssertLimitIsExact(CompressionCodecs.Get(id), File.ReadAllBytes(output), original, CompressionError.LimitExceeded);
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void EmptyContent_FitsALimitOfZero(CompressionCodecId id)
    {
        var codec = CompressionCodecs.Get(id);
        var frame = codec.Compress([]);

        Assert.Empty(codec.Decompress(frame, 0));
        Assert.Equal(0, codec.Decompress(frame, Span<byte>.Empty));
        var oneByte = codec.Compress([0]);
        Assert.Equal(CompressionError.DeclaredSizeExceedsLimit, Assert.Throws<CompressionException>(() => codec.Decompress(oneByte, 0)).Error);
    }

    [Fact]
    public void ZstdWindowLargerThanTheLimitAllows_IsRefused_AndAcceptedUnderALargerLimit()
    {
        var original = TestData.TextLike(OneMebibyte, seed: 4);
        var output = _temp.File("long.zst");
        CliTool.Run("zstd", ["-q", "-f", "--long=24", "-", "-o", output], CliTool.Bytes(original));
        var frame = File.ReadAllBytes(output);

        var error = Assert.Throws<CompressionException>(() => CompressionCodecs.Zstd.Decompress(frame, OneMebibyte));

        Assert.Equal(CompressionError.LimitExceeded, error.Error);
        Assert.Contains("memory", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, CompressionCodecs.Zstd.Decompress(frame, 16 * OneMebibyte));
    }

    [Theory]
    [InlineData(0, 23)]
    [InlineData(1, 23)]
    [InlineData(OneMebibyte, 23)]
    [InlineData(8 * OneMebibyte, 23)]
    [InlineData((8 * OneMebibyte) + 1, 24)]
    [InlineData(100 * OneMebibyte, 27)]
    [InlineData(int.MaxValue, 27)]
    public void ZstdWindowBound_FollowsTheLimitWithinEightTo128Mebibytes(int limit, int windowLog)
    {
        Assert.Equal(windowLog, ZstdFrameDecoder.WindowLogMaxFor(limit));
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void NativeContexts_AreFreedOnErrorPaths(CompressionCodecId id)
    {
        // Each refusal below comes after the decoder allocated and filled a mebibyte or more of its own buffers
        // (the tools' bombs use 4 MiB LZ4 blocks and a 2 MiB zstd window): 300 leaked contexts would show.
        var codec = CompressionCodecs.Get(id);
        var bomb = id == CompressionCodecId.Lz4 ? _bombs.Lz4 : _bombs.Zstd;
        var destination = new byte[OneMebibyte];
        Assert.Throws<CompressionException>(() => codec.Decompress(bomb, destination));
        var workingSet = Environment.WorkingSet;

        for (var i = 0; i < 300; i++)
        {
            Assert.Throws<CompressionException>(() => codec.Decompress(bomb, destination));
        }

        var grown = Environment.WorkingSet - workingSet;
        Assert.True(grown < 200L * OneMebibyte, $"working set grew {grown} bytes over 300 refusals");
    }

    private static byte[] Content(string shape, int length) => shape switch
    {
        "zeros" => new byte[length],
        "random" => TestData.RandomBytes(length, seed: length),
        _ => TestData.SignedOrders((length / TestData.OrderLength) + 1, seed: length)[..length],
    };

    private static void AssertLimitIsExact(ICompressionCodec codec, byte[] frame, byte[] original, CompressionError overError)
    {
        var length = original.Length;
        Assert.Equal(original, codec.Decompress(frame, length));
        var exact = new byte[length];
        Assert.Equal(length, codec.Decompress(frame, exact));
        Assert.Equal(original, exact);

        var toArray = Assert.Throws<CompressionException>(() => codec.Decompress(frame, length - 1));
        var intoSpan = Assert.Throws<CompressionException>(() => codec.Decompress(frame, new byte[length - 1]));
        Assert.Equal(overError, toArray.Error);
        Assert.Equal(overError, intoSpan.Error);
        Assert.Contains($"limit of {length - 1} bytes", toArray.Message, StringComparison.Ordinal);
    }
}
