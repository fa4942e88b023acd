using System.Runtime.InteropServices;
using Rollup.Primitives.Compression.Native;

namespace Rollup.Primitives.Compression;

/// <summary>An <c>LZ4F_dctx</c> decoding one frame. Create, use, and dispose in a <c>finally</c>.</summary>
internal unsafe struct Lz4FrameDecoder : IFrameDecoder, IDisposable
{
    private nint _context;

    public readonly CompressionCodecId Codec => CompressionCodecId.Lz4;

    public static Lz4FrameDecoder Create()
    {
        nint context;
        var result = Lz4Native.LZ4F_createDecompressionContext(&context, Lz4Native.ApiVersion);
        if (Lz4Errors.IsError(result))
        {
            throw new InsufficientMemoryException($"LZ4F_createDecompressionContext failed: {Lz4Errors.Name(result)}");
        }
        return new Lz4FrameDecoder { _context = context };
    }

    public readonly long ReadHeader(ReadOnlySpan<byte> source, out int consumed)
    {
        // Also turns away skippable and legacy frames, whose magic numbers differ.
        FrameDecoding.RequireMagic(source, Lz4Native.FrameMagic, Codec);
        Lz4FrameInfo info;
        var size = (nuint)source.Length;
        nuint result;
        fixed (byte* src = &MemoryMarshal.GetReference(source))
        {
            result = Lz4Native.LZ4F_getFrameInfo(_context, &info, src, &size);
        }
        if (Lz4Errors.IsError(result))
        {
            throw Lz4Errors.Decoding(result);
        }
        consumed = (int)size;
        // Content size 0 means "not recorded" in the LZ4 frame format.
        return info.ContentSize == 0 ? -1 : (long)Math.Min(info.ContentSize, long.MaxValue);
    }

    public readonly bool Decode(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written)
    {
        var srcSize = (nuint)source.Length;
        var dstSize = (nuint)destination.Length;
        nuint result;
        fixed (byte* src = &MemoryMarshal.GetReference(source))
        fixed (byte* dst = &MemoryMarshal.GetReference(destination))
        {
            result = Lz4Native.LZ4F_decompress(_context, dst, &dstSize, src, &srcSize, null);
        }
        if (Lz4Errors.IsError(result))
        {
            throw Lz4Errors.Decoding(result);
        }
        consumed = (int)srcSize;
        written = (int)dstSize;
        return result == 0;
    }

    public void Dispose()
    {
        if (_context != 0)
        {
            Lz4Native.LZ4F_freeDecompressionContext(_context);
            _context = 0;
        }
    }
}
