using System.Runtime.CompilerServices;
using Rollup.Primitives.Compression;

namespace Rollup.Primitives.Tests.Compression;

public class CodecRegistryTests
{
    [Fact]
    public void WireIds_AreFixed()
    {
        Assert.Equal(0, (byte)CompressionCodecId.None);
        Assert.Equal(1, (byte)CompressionCodecId.Lz4);
        Assert.Equal(2, (byte)CompressionCodecId.Zstd);
        Assert.Equal(sizeof(byte), Unsafe.SizeOf<CompressionCodecId>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void FromWireId_ReturnsTheCodecWithThatId(byte wireId)
    {
        var codec = CompressionCodecs.FromWireId(wireId);

        Assert.Equal(wireId, (byte)codec.Id);
        Assert.Same(codec, CompressionCodecs.Get((CompressionCodecId)wireId));
        Assert.True(CompressionCodecs.TryGet(wireId, out var found));
        Assert.Same(codec, found);
    }

    [Fact]
    public void UnknownWireIds_AreRefused()
    {
        for (var wireId = 3; wireId <= byte.MaxValue; wireId++)
        {
            var id = (byte)wireId;
            var error = Assert.Throws<CompressionException>(() => CompressionCodecs.FromWireId(id));
            Assert.Equal(CompressionError.UnknownCodec, error.Error);
            Assert.Contains($"codec id {wireId}", error.Message, StringComparison.Ordinal);
            Assert.False(CompressionCodecs.TryGet(id, out _));
        }
    }

    [Fact]
    public void CompressionException_IsAFormatException()
    {
        var error = Assert.Throws<CompressionException>(() => CompressionCodecs.Lz4.Decompress([1, 2, 3, 4, 5], 10));

        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public void Levels_OutsideTheLibrariesRanges_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lz4FrameCodec(Lz4FrameCodec.MaxLevel + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCodec(ZstdCodec.MaxLevel + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCodec(ZstdCodec.MinLevel - 1));
        Assert.Equal(ZstdCodec.DefaultLevel, CompressionCodecs.Zstd.Level);
        Assert.Equal(3, ZstdCodec.DefaultLevel);
    }

    [Fact]
    public void ZstdLevels_AreThoseOfTheZstdPort()
    {
        Assert.Equal(ZstdCodec.MinLevel, ZstdSharp.Unsafe.Methods.ZSTD_minCLevel());
        Assert.Equal(ZstdCodec.MaxLevel, ZstdSharp.Unsafe.Methods.ZSTD_maxCLevel());
    }
}
