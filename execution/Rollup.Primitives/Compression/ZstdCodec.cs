using System.Runtime.InteropServices;
using ZstdSharp.Unsafe;

namespace Rollup.Primitives.Compression;

/// <summary>
/// Zstandard (wire id 2) over ZstdSharp's port of libzstd: one frame with the content size in its header and a content
/// checksum. Decodes any single frame without a dictionary, as the <c>zstd</c> tool writes them, within the
/// window bound described at <see cref="ZstdFrameDecoder.WindowLogMaxFor"/>.
/// </summary>
public sealed class ZstdCodec : ICompressionCodec
{
    public const int DefaultLevel = 3;

    /// <summary><c>ZSTD_minCLevel()</c> of zstd 1.5.</summary>
    public const int MinLevel = -(1 << 17);

    /// <summary><c>ZSTD_maxCLevel()</c> of zstd 1.5.</summary>
    public const int MaxLevel = 22;

    public ZstdCodec(int level = DefaultLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, MinLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        Level = level;
    }

    public int Level { get; }

    public CompressionCodecId Id => CompressionCodecId.Zstd;

    public int MaxCompressedLength(int sourceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        return CodecBuffers.BoundToLength(Methods.ZSTD_compressBound((nuint)sourceLength), sourceLength);
    }

    public unsafe int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        CodecBuffers.RequireCapacity(destination, MaxCompressedLength(source.Length), Id);
        var context = Methods.ZSTD_createCCtx();
        if (context == null)
        {
            throw new InsufficientMemoryException("ZSTD_createCCtx failed");
        }
        try
        {
            SetParameter(context, ZSTD_cParameter.ZSTD_c_compressionLevel, Level);
            SetParameter(context, ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
            nuint result;
            fixed (byte* src = &MemoryMarshal.GetReference(source))
            fixed (byte* dst = &MemoryMarshal.GetReference(destination))
            {
                // One-shot: the content size goes into the frame header (ZSTD_c_contentSizeFlag defaults to 1).
                result = Methods.ZSTD_compress2(context, dst, (nuint)destination.Length, src, (nuint)source.Length);
            }
            return ZstdErrors.IsError(result) ? throw ZstdErrors.Encoding("ZSTD_compress2", result) : (int)result;
        }
        finally
        {
            Methods.ZSTD_freeCCtx(context);
        }
    }

    public byte[] Compress(ReadOnlySpan<byte> source) => CodecBuffers.CompressToArray(this, source);

    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var decoder = ZstdFrameDecoder.Create(destination.Length);
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
        var decoder = ZstdFrameDecoder.Create(maxDecompressedLength);
        try
        {
            return FrameDecoding.DecompressToArray(ref decoder, source, maxDecompressedLength);
        }
        finally
        {
            decoder.Dispose();
        }
    }

    private static unsafe void SetParameter(ZSTD_CCtx_s* context, ZSTD_cParameter parameter, int value)
    {
        var result = Methods.ZSTD_CCtx_setParameter(context, parameter, value);
        if (ZstdErrors.IsError(result))
        {
            throw ZstdErrors.Encoding("ZSTD_CCtx_setParameter", result);
        }
    }
}
