using Rollup.Primitives.Compression;

namespace Rollup.Primitives.Tests.Compression;

/// <summary>Frames from Debian's <c>lz4</c> and <c>zstd</c> tools decode with ours, and ours decode with theirs.</summary>
public sealed class CliInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Orders, incompressible bytes and text: compressed and stored blocks, across many 64 KiB blocks.</summary>
    private static readonly byte[] Mixed =
        [.. TestData.SignedOrders(3_000, seed: 1), .. TestData.RandomBytes(100_000, seed: 2), .. TestData.TextLike(200_000, seed: 3)];

    /// <summary>Tool options, space-separated; each differs from what our codec writes.</summary>
    public static TheoryData<string> Lz4Options() =>
    [
        "",
        "-BD",
        "--no-frame-crc",
        "-B4",
        "-B5 -BD",
        "-BX",
        "-9",
        "-12 --favor-decSpeed",
        "--fast=3",
        "--content-size",
        "-B4 -BD -BX --no-frame-crc --content-size",
    ];

    public static TheoryData<string> ZstdOptions() =>
    [
        "",
        "-1",
        "-19",
        "--no-check",
        "--fast=5",
        "-T2 -6",
        "--long=23 --no-check", // 8 MiB window: the largest a small limit admits (see DecompressionLimitTests)
    ];

    public static TheoryData<CompressionCodecId, int> OursForTheirTools()
    {
        var data = new TheoryData<CompressionCodecId, int>();
        foreach (var id in new[] { CompressionCodecId.Lz4, CompressionCodecId.Zstd })
        {
            foreach (var kind in new[] { 0, 1, 2, 3 })
            {
                data.Add(id, kind);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Lz4Options))]
    public void Lz4Cli_FileFrame_DecodesWithOurs(string options)
    {
        var frame = Lz4FromFile(Mixed, options);

        AssertDecodes(CompressionCodecs.Lz4, frame, Mixed);
    }

    [Theory]
    [MemberData(nameof(Lz4Options))]
    public void Lz4Cli_StreamedFrameWithoutContentSize_DecodesWithOurs(string options)
    {
        var output = _temp.File("stdin.lz4");
        CliTool.Run("lz4", [.. Split(options), "-q", "-f", "-", output], CliTool.Bytes(Mixed));

        AssertDecodes(CompressionCodecs.Lz4, File.ReadAllBytes(output), Mixed);
    }

    [Theory]
    [MemberData(nameof(ZstdOptions))]
    public void ZstdCli_FileFrame_DecodesWithOurs(string options)
    {
        var frame = ZstdFromFile(Mixed, options);

        AssertDecodes(CompressionCodecs.Zstd, frame, Mixed);
    }

    [Theory]
    [MemberData(nameof(ZstdOptions))]
    public void ZstdCli_StreamedFrameWithoutContentSize_DecodesWithOurs(string options)
    {
        var output = _temp.File("stdin.zst");
        CliTool.Run("zstd", [.. Split(options), "-q", "-f", "-", "-o", output], CliTool.Bytes(Mixed));

        AssertDecodes(CompressionCodecs.Zstd, File.ReadAllBytes(output), Mixed);
    }

    [Fact]
    public void Cli_EmptyAndOneByteFiles_DecodeWithOurs()
    {
        foreach (var content in new[] { Array.Empty<byte>(), [42] })
        {
            AssertDecodes(CompressionCodecs.Lz4, Lz4FromFile(content, ""), content);
            AssertDecodes(CompressionCodecs.Lz4, Lz4FromFile(content, "--content-size"), content);
            AssertDecodes(CompressionCodecs.Zstd, ZstdFromFile(content, ""), content);
        }
    }

    [Theory]
    [MemberData(nameof(OursForTheirTools))]
    public void OurFrames_DecodeWithTheCli_ToTheSameBytes(CompressionCodecId id, int kind)
    {
        var original = kind switch
        {
            0 => [],
            1 => [7],
            2 => TestData.SignedOrders(10_000, seed: 5),
            _ => TestData.RandomBytes(1 << 20, seed: 6),
        };
        var compressed = _temp.File("ours.bin");
        var decompressed = _temp.File("theirs.out");
        File.WriteAllBytes(compressed, CompressionCodecs.Get(id).Compress(original));

        if (id == CompressionCodecId.Lz4)
        {
            CliTool.Run("lz4", "-d", "-q", "-f", compressed, decompressed);
        }
        else
        {
            CliTool.Run("zstd", "-d", "-q", "-f", compressed, "-o", decompressed);
        }

        Assert.Equal(original, File.ReadAllBytes(decompressed));
    }

    [Fact]
    public void OurFramesAtEveryLevel_DecodeWithTheCli()
    {
        var original = TestData.SignedOrders(2_000, seed: 8);
        var compressed = _temp.File("ours.bin");
        var decompressed = _temp.File("theirs.out");
        foreach (var codec in new ICompressionCodec[] { new Lz4FrameCodec(-10), new Lz4FrameCodec(10), new ZstdCodec(-3), new ZstdCodec(19) })
        {
            File.WriteAllBytes(compressed, codec.Compress(original));
            if (codec.Id == CompressionCodecId.Lz4)
            {
                CliTool.Run("lz4", "-d", "-q", "-f", compressed, decompressed);
            }
            else
            {
                CliTool.Run("zstd", "-d", "-q", "-f", compressed, "-o", decompressed);
            }
            Assert.Equal(original, File.ReadAllBytes(decompressed));
        }
    }

    [Fact]
    public void Lz4CliLegacyFormat_IsNotAFrame()
    {
        var legacy = Lz4FromFile(Mixed, "-l");

        var error = Assert.Throws<CompressionException>(() => CompressionCodecs.Lz4.Decompress(legacy, Mixed.Length));
        Assert.Equal(CompressionError.BadMagic, error.Error);
    }

    [Fact]
    public void ConcatenatedCliFrames_AreRefusedAsTrailingData()
    {
        // Both tools accept concatenated frames; a batch carries exactly one.
        byte[] lz4 = [.. Lz4FromFile(Mixed, ""), .. Lz4FromFile([1, 2, 3], "")];
        byte[] zstd = [.. ZstdFromFile(Mixed, ""), .. ZstdFromFile([1, 2, 3], "")];

        Assert.Equal(CompressionError.TrailingData, Assert.Throws<CompressionException>(() => CompressionCodecs.Lz4.Decompress(lz4, 1 << 24)).Error);
        Assert.Equal(CompressionError.TrailingData, Assert.Throws<CompressionException>(() => CompressionCodecs.Zstd.Decompress(zstd, 1 << 24)).Error);
    }

    private byte[] Lz4FromFile(byte[] content, string options)
    {
        var input = _temp.File("input.bin");
        var output = _temp.File("input.lz4");
        File.WriteAllBytes(input, content);
        CliTool.Run("lz4", [.. Split(options), "-q", "-f", input, output], writeStandardInput: null);
        return File.ReadAllBytes(output);
    }

    private byte[] ZstdFromFile(byte[] content, string options)
    {
        var input = _temp.File("input.bin");
        var output = _temp.File("input.zst");
        File.WriteAllBytes(input, content);
        CliTool.Run("zstd", [.. Split(options), "-q", "-f", input, "-o", output], writeStandardInput: null);
        return File.ReadAllBytes(output);
    }

    private static string[] Split(string options) => options.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertDecodes(ICompressionCodec codec, byte[] frame, byte[] expected)
    {
        Assert.Equal(expected, codec.Decompress(frame, expected.Length));
        var destination = new byte[expected.Length + 10];
        Assert.Equal(expected.Length, codec.Decompress(frame, destination));
        Assert.Equal(expected, destination.AsSpan(0, expected.Length).ToArray());
    }
}
