using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Rollup.Primitives.Compression;

namespace Rollup.Primitives.Tests.Compression;

public class MalformedInputTests
{
    private const int Limit = 1 << 22;

    /// <summary>Several 64 KiB LZ4 blocks and several zstd blocks.</summary>
    private static readonly byte[] Content = [.. TestData.SignedOrders(1_000, seed: 9), .. TestData.TextLike(100_000, seed: 10)];

    public static TheoryData<CompressionCodecId> FrameCodecs() => [CompressionCodecId.Lz4, CompressionCodecId.Zstd];

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void EmptyOrTinyInput_IsTruncated(CompressionCodecId id)
    {
        foreach (var length in new[] { 0, 1, 3 })
        {
            var error = AssertRefused(id, new byte[length], CompressionError.Truncated);
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(CompressionCodecId.Lz4, new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0 })] // gzip
    [InlineData(CompressionCodecId.Zstd, new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0 })]
    [InlineData(CompressionCodecId.Lz4, new byte[] { 0x50, 0x2A, 0x4D, 0x18, 0, 0, 0, 0 })] // skippable frame
    [InlineData(CompressionCodecId.Zstd, new byte[] { 0x5F, 0x2A, 0x4D, 0x18, 0, 0, 0, 0 })]
    public void ForeignMagicNumber_IsBadMagic(CompressionCodecId id, byte[] input)
    {
        var error = AssertRefused(id, input, CompressionError.BadMagic);

        Assert.Contains(id == CompressionCodecId.Lz4 ? "not an LZ4 frame" : "not a zstd frame", error.Message, StringComparison.Ordinal);
        Assert.Contains($"0x{BinaryPrimitives.ReadUInt32LittleEndian(input):X8}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachCodecRefusesTheOthersFrames()
    {
        AssertRefused(CompressionCodecId.Lz4, CompressionCodecs.Zstd.Compress(Content), CompressionError.BadMagic);
        AssertRefused(CompressionCodecId.Zstd, CompressionCodecs.Lz4.Compress(Content), CompressionError.BadMagic);
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void EveryPrefixOfAFrame_IsTruncated(CompressionCodecId id)
    {
        var frame = CompressionCodecs.Get(id).Compress(Content);
        var cuts = Enumerable.Range(0, 64)
            .Concat(Enumerable.Range(frame.Length - 64, 64))
            .Concat(Enumerable.Range(0, frame.Length).Where(i => i % 97 == 0));

        foreach (var cut in cuts.Distinct())
        {
            var error = AssertRefused(id, frame[..cut], CompressionError.Truncated);
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void BytesAfterTheFrame_AreTrailingData(CompressionCodecId id)
    {
        var frame = CompressionCodecs.Get(id).Compress(Content);

        foreach (var tail in new[] { [0], TestData.RandomBytes(7, seed: 1), frame })
        {
            var error = AssertRefused(id, [.. frame, .. tail], CompressionError.TrailingData);
            Assert.Contains($"followed by {tail.Length} bytes of trailing data", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void DamagedContentChecksum_IsAChecksumMismatch(CompressionCodecId id)
    {
        var frame = CompressionCodecs.Get(id).Compress(Content);
        frame[^1] ^= 0x01;

        var error = AssertRefused(id, frame, CompressionError.ChecksumMismatch);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void DamagedStoredBlock_IsCaughtByTheContentChecksum(CompressionCodecId id)
    {
        // Random bytes do not compress: both codecs store them raw, so this flip changes content, not structure.
        var frame = CompressionCodecs.Get(id).Compress(TestData.RandomBytes(50_000, seed: 12));
        frame[frame.Length / 2] ^= 0x10;

        AssertRefused(id, frame, CompressionError.ChecksumMismatch);
    }

    [Fact]
    public void Lz4DamagedHeader_IsAHeaderChecksumMismatch()
    {
        var frame = CompressionCodecs.Lz4.Compress(Content);
        // A content-size byte, covered by the header checksum; the flipped bit is one whose damage the one-byte
        // checksum does see (flipping bit 0 of this frame's byte 7 happens to keep it, a 1-in-256 collision).
        frame[7] ^= 0x02;
        Assert.NotEqual(frame[14], FrameHeaders.Lz4HeaderChecksum(frame.AsSpan(4, 10)));

        var error = AssertRefused(CompressionCodecId.Lz4, frame, CompressionError.ChecksumMismatch);
        Assert.Contains("header checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lz4ReservedFlag_IsCorrupt()
    {
        var frame = CompressionCodecs.Lz4.Compress(Content);
        frame[4] |= 0x02;
        frame[14] = FrameHeaders.Lz4HeaderChecksum(frame.AsSpan(4, 10));

        var error = AssertRefused(CompressionCodecId.Lz4, frame, CompressionError.Corrupt);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lz4UndecodableBlock_IsCorrupt()
    {
        // Independent 64 KiB blocks, no size, no checksums; one 4-byte compressed block whose literal run
        // claims more bytes than the block holds; then the end mark.
        byte[] header = [0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, 0];
        header[6] = FrameHeaders.Lz4HeaderChecksum(header.AsSpan(4, 2));
        byte[] frame = [.. header, 4, 0, 0, 0, 0xF0, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];

        var error = AssertRefused(CompressionCodecId.Lz4, frame, CompressionError.Corrupt);
        Assert.Contains("does not decode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZstdReservedHeaderBit_IsCorrupt()
    {
        var frame = CompressionCodecs.Zstd.Compress(Content);
        frame[4] |= 0x08;

        AssertRefused(CompressionCodecId.Zstd, frame, CompressionError.Corrupt);
    }

    [Fact]
    public void ZstdReservedBlockType_IsCorrupt()
    {
        // Single segment, one-byte content size 0, then a last block of the reserved type 3.
        byte[] frame = [0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x00, 0x07, 0x00, 0x00];

        var error = AssertRefused(CompressionCodecId.Zstd, frame, CompressionError.Corrupt);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void ContentLongerThanItsHeaderDeclares_IsCorrupt(CompressionCodecId id)
    {
        var original = TestData.TextLike(100_000, seed: 13);
        var frame = CompressionCodecs.Get(id).Compress(original);
        var lying = id == CompressionCodecId.Lz4 ? FrameHeaders.Lz4WithContentSize(frame, 99_999) : FrameHeaders.ZstdWithContentSize(frame, 99_999);

        var error = AssertRefused(id, lying, CompressionError.Corrupt);
        Assert.Contains("header declares", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FrameCodecs))]
    public void ContentShorterThanItsHeaderDeclares_IsCorrupt(CompressionCodecId id)
    {
        var original = TestData.TextLike(100_000, seed: 14);
        var frame = CompressionCodecs.Get(id).Compress(original);
        var lying = id == CompressionCodecId.Lz4 ? FrameHeaders.Lz4WithContentSize(frame, 100_001) : FrameHeaders.ZstdWithContentSize(frame, 100_001);

        AssertRefused(id, lying, CompressionError.Corrupt);
    }

    [Fact]
    public void Property_MangledFrames_AreDecodedOrRefusedWithCompressionException()
    {
        var frames = new[] { CompressionCodecs.Lz4.Compress(Content), CompressionCodecs.Zstd.Compress(Content) };
        var ids = new[] { CompressionCodecId.Lz4, CompressionCodecId.Zstd };
        var mangles = Gen.Choose(0, 1)
            .SelectMany(which => Gen.Choose(0, frames[which].Length - 1), (which, at) => (which, at))
            .SelectMany(wa => Gen.Choose(0, 3), (wa, how) => (wa.which, wa.at, how))
            .SelectMany(wah => Gen.Choose(0, 255), (wah, value) => (wah.which, wah.at, wah.how, value));

        var property = Prop.ForAll(mangles.ToArbitrary(), m =>
        {
            var frame = (byte[])frames[m.which].Clone();
            var input = m.how switch
            {
                0 => Flip(frame, m.at, (byte)(1 << (m.value % 8))),
                1 => Flip(frame, m.at, (byte)m.value),
                2 => [.. frame[..m.at], .. TestData.RandomBytes(m.value, seed: m.at)],
                _ => [.. frame[..m.at], .. frame[Math.Min(frame.Length, m.at + 1 + (m.value % 16))..]],
            };
            AssertDecodesOrRefuses(ids[m.which], input);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    [Fact]
    public void Property_GarbageAfterAValidMagic_IsRefusedWithCompressionException()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), garbage =>
        {
            AssertDecodesOrRefuses(CompressionCodecId.Lz4, [0x04, 0x22, 0x4D, 0x18, .. garbage]);
            AssertDecodesOrRefuses(CompressionCodecId.Zstd, [0x28, 0xB5, 0x2F, 0xFD, .. garbage]);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    private static byte[] Flip(byte[] frame, int at, byte mask)
    {
        frame[at] ^= mask == 0 ? (byte)0xFF : mask;
        return frame;
    }

    private static void AssertDecodesOrRefuses(CompressionCodecId id, byte[] input)
    {
        var codec = CompressionCodecs.Get(id);
        try
        {
            Assert.InRange(codec.Decompress(input, Limit).Length, 0, Limit);
        }
        catch (CompressionException)
        {
        }
        try
        {
            Assert.InRange(codec.Decompress(input, new byte[Content.Length + 10]), 0, Content.Length + 10);
        }
        catch (CompressionException)
        {
        }
    }

    /// <summary>Both API forms refuse the input with the same error; returns one of the exceptions.</summary>
    private static CompressionException AssertRefused(CompressionCodecId id, byte[] input, CompressionError expected)
    {
        var codec = CompressionCodecs.Get(id);
        var toArray = Assert.Throws<CompressionException>(() => codec.Decompress(input, Limit));
        var intoSpan = Assert.Throws<CompressionException>(() => codec.Decompress(input, new byte[Limit]));
        Assert.True(expected == toArray.Error, $"expected {expected}, got {toArray.Error}: {toArray.Message}");
        Assert.True(expected == intoSpan.Error, $"expected {expected}, got {intoSpan.Error}: {intoSpan.Message}");
        return toArray;
    }
}
