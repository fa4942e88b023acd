using System.Runtime.InteropServices;
using Rollup.Primitives.Compression.Native;

namespace Rollup.Primitives.Compression;

/// <summary>
/// LZ4 frame format (wire id 1) over Debian's liblz4: 64 KiB linked blocks, the content size in the header and a
/// content checksum at the end. Decodes any conforming single frame (other block sizes, independent blocks, block
/// checksums, no checksum), as the <c>lz4</c> tool writes them.
/// </summary>
public sealed class Lz4FrameCodec : ICompressionCodec
{
    /// <summary>Fast mode. Negative levels trade ratio for speed; 3 to 12 select LZ4HC.</summary>
    public const int DefaultLevel = 0;

    /// <summary><c>LZ4HC_CLEVEL_MAX</c>.</summary>
    public const int MaxLevel = 12;

    public Lz4FrameCodec(int level = DefaultLevel)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        Level = level;
    }

    public int Level { get; }

    public CompressionCodecId Id => CompressionCodecId.Lz4;

    public unsafe int MaxCompressedLength(int sourceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        var preferences = Preferences(sourceLength);
        return CodecBuffers.BoundToLength(Lz4Native.LZ4F_compressFrameBound((nuint)sourceLength, &preferences), sourceLength);
    }

    public unsafe int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        CodecBuffers.RequireCapacity(destination, MaxCompressedLength(source.Length), Id);
        // A non-zero content size asks LZ4F_compressFrame to record the source length in the header.
        var preferences = Preferences(source.Length);
        nuint result;
        fixed (byte* src = &MemoryMarshal.GetReference(source))
        fixed (byte* dst = &MemoryMarshal.GetReference(destination))
        {
            result = Lz4Native.LZ4F_compressFrame(dst, (nuint)destination.Length, src, (nuint)source.Length, &preferences);
        }
        return Lz4Errors.IsError(result) ? throw Lz4Errors.Encoding(result) : (int)result;
    }

    public byte[] Compress(ReadOnlySpan<byte> source) => CodecBuffers.CompressToArray(this, source);

    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var decoder = Lz4FrameDecoder.Create();
        try
        {
            return FrameDecoding.DecompressInto(ref decoder, source, destination);
        }
        finally
        {
            decoder.Dispose();
        }
    }

    public byte[] Decompress(ReadOnlySpan<byte> source, int maxDecompressedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecompressedLength);
        var decoder = Lz4FrameDecoder.Create();
        try
        {
            return FrameDecoding.DecompressToArray(ref decoder, source, maxDecompressedLength);
        }
        finally
        {
            decoder.Dispose();
        }
    }

    private Lz4Preferences Preferences(int sourceLength) => new()
    {
        FrameInfo = new Lz4FrameInfo
        {
            BlockSizeId = Lz4Constants.Max64KB,
            BlockMode = Lz4Constants.BlockLinked,
            ContentChecksumFlag = Lz4Constants.ContentChecksumEnabled,
            ContentSize = (ulong)sourceLength,
        },
        CompressionLevel = Level,
    };
}
