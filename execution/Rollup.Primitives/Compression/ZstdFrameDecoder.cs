using System.Numerics;
using System.Runtime.InteropServices;
using ZstdSharp.Unsafe;

namespace Rollup.Primitives.Compression;

/// <summary>A <c>ZSTD_DCtx</c> decoding one frame in streaming mode. Create, use, and dispose in a <c>finally</c>.</summary>
internal unsafe struct ZstdFrameDecoder : IFrameDecoder, IDisposable
{
    /// <summary>Windows up to 8 MiB are always accepted: RFC 8878 asks decoders to support that much.</summary>
    internal const int MinWindowLogMax = 23;

    /// <summary><c>ZSTD_WINDOWLOG_LIMIT_DEFAULT</c>: no frame may make the decoder allocate more than a 128 MiB window.</summary>
    internal const int MaxWindowLogMax = 27;

    /// <summary><c>ZSTD_MAGICNUMBER</c>, little-endian at the start of every (non-skippable) frame.</summary>
    private const uint FrameMagic = 0xFD2FB528;

    private const ulong ContentSizeUnknown = ulong.MaxValue;      // ZSTD_CONTENTSIZE_UNKNOWN
    private const ulong ContentSizeError = ulong.MaxValue - 1;    // ZSTD_CONTENTSIZE_ERROR

    private ZSTD_DCtx_s* _context;

    public readonly CompressionCodecId Codec => CompressionCodecId.Zstd;

    /// <summary>
    /// A window larger than the output limit buys nothing, so the decoder refuses frames asking for more than
    /// the limit rounded up to a power of two, within [8 MiB, 128 MiB]. This bounds the native memory a frame
    /// without a declared content size can make zstd allocate.
    /// </summary>
    internal static int WindowLogMaxFor(int limit) =>
        Math.Clamp(limit <= 1 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)(limit - 1)), MinWindowLogMax, MaxWindowLogMax);

    public static ZstdFrameDecoder Create(int limit)
    {
        var context = Methods.ZSTD_createDCtx();
        if (context == null)
        {
            throw new InsufficientMemoryException("ZSTD_createDCtx failed");
        }
        var decoder = new ZstdFrameDecoder { _context = context };
        var result = Methods.ZSTD_DCtx_setParameter(context, ZSTD_dParameter.ZSTD_d_windowLogMax, WindowLogMaxFor(limit));
        if (ZstdErrors.IsError(result))
        {
            decoder.Dispose();
            throw ZstdErrors.Encoding("ZSTD_DCtx_setParameter(windowLogMax)", result);
        }
        return decoder;
    }

    public readonly long ReadHeader(ReadOnlySpan<byte> source, out int consumed)
    {
        // Also turns away skippable frames, whose magic numbers differ.
        FrameDecoding.RequireMagic(source, FrameMagic, Codec);
        ulong size;
        fixed (byte* src = &MemoryMarshal.GetReference(source))
        {
            size = Methods.ZSTD_getFrameContentSize(src, (nuint)source.Length);
        }
        consumed = 0;
        // An unreadable header is left to the decoder, which says why (truncated, reserved bit, ...).
        return size is ContentSizeUnknown or ContentSizeError ? -1 : (long)Math.Min(size, long.MaxValue);
    }

    public readonly bool Decode(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written)
    {
        nuint result;
        ZSTD_inBuffer_s input;
        ZSTD_outBuffer_s output;
        fixed (byte* src = &MemoryMarshal.GetReference(source))
        fixed (byte* dst = &MemoryMarshal.GetReference(destination))
        {
            input = new ZSTD_inBuffer_s { src = src, size = (nuint)source.Length };
            output = new ZSTD_outBuffer_s { dst = dst, size = (nuint)destination.Length };
            result = Methods.ZSTD_decompressStream(_context, &output, &input);
        }
        if (ZstdErrors.IsError(result))
        {
            throw ZstdErrors.Decoding(result);
        }
        consumed = (int)input.pos;
        written = (int)output.pos;
        return result == 0;
    }

    public void Dispose()
    {
        if (_context != null)
        {
            Methods.ZSTD_freeDCtx(_context);
            _context = null;
        }
    }
}
