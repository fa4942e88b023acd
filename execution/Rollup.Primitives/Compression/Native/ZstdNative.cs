using System.Runtime.InteropServices;

namespace Rollup.Primitives.Compression.Native;

/// <summary>
/// The parts of Debian's <c>libzstd.so.1</c> (1.5.4) this project uses, as declared in
/// <c>/usr/include/zstd.h</c> and <c>zstd_errors.h</c>. Contexts are raw pointers; callers free them in <c>finally</c> blocks.
/// </summary>
internal static unsafe partial class ZstdNative
{
    private const string Library = "libzstd.so.1";

    /// <summary><c>ZSTD_MAGICNUMBER</c>, little-endian at the start of every (non-skippable) frame.</summary>
    internal const uint FrameMagic = 0xFD2FB528;

    internal const ulong ContentSizeUnknown = ulong.MaxValue;      // ZSTD_CONTENTSIZE_UNKNOWN
    internal const ulong ContentSizeError = ulong.MaxValue - 1;    // ZSTD_CONTENTSIZE_ERROR

    // ZSTD_cParameter / ZSTD_dParameter
    internal const int CompressionLevelParameter = 100;  // ZSTD_c_compressionLevel
    internal const int ChecksumFlagParameter = 201;      // ZSTD_c_checksumFlag
    internal const int WindowLogMaxParameter = 100;      // ZSTD_d_windowLogMax

    // ZSTD_ErrorCode (zstd_errors.h)
    internal const int ErrorPrefixUnknown = 10;
    internal const int ErrorWindowTooLarge = 16;
    internal const int ErrorChecksumWrong = 22;
    internal const int ErrorDictionaryWrong = 32;
    internal const int ErrorMemoryAllocation = 64;
    internal const int ErrorDstSizeTooSmall = 70;

    [LibraryImport(Library)]
    internal static partial uint ZSTD_versionNumber();

    [LibraryImport(Library)]
    internal static partial int ZSTD_minCLevel();

    [LibraryImport(Library)]
    internal static partial int ZSTD_maxCLevel();

    [LibraryImport(Library)]
    internal static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Library)]
    internal static partial int ZSTD_getErrorCode(nuint code);

    /// <summary>Returns a static C string; never free it.</summary>
    [LibraryImport(Library)]
    internal static partial byte* ZSTD_getErrorName(nuint code);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport(Library)]
    internal static partial nint ZSTD_createCCtx();

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_freeCCtx(nint cctx);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_CCtx_setParameter(nint cctx, int param, int value);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_compress2(nint cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    [LibraryImport(Library)]
    internal static partial nint ZSTD_createDCtx();

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_freeDCtx(nint dctx);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_DCtx_setParameter(nint dctx, int param, int value);

    [LibraryImport(Library)]
    internal static partial ulong ZSTD_getFrameContentSize(byte* src, nuint srcSize);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_decompressStream(nint dctx, ZstdOutBuffer* output, ZstdInBuffer* input);
}

/// <summary><c>ZSTD_inBuffer</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdInBuffer
{
    public byte* Src;
    public nuint Size;
    public nuint Pos;
}

/// <summary><c>ZSTD_outBuffer</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdOutBuffer
{
    public byte* Dst;
    public nuint Size;
    public nuint Pos;
}
