using ZstdSharp.Unsafe;

namespace Rollup.Primitives.Compression.Native;

/// <summary>
/// The parts of zstd's API this project uses, from ZstdSharp (NuGet <c>ZstdSharp.Port</c>), a managed port of libzstd
/// with the same functions and semantics. Called directly rather than through its <c>Compressor</c>/<c>Decompressor</c>
/// wrappers because decoding streams with a hard output limit and a bounded window (<see cref="ZstdFrameDecoder"/>).
/// Contexts are raw pointers; callers free them in <c>finally</c> blocks.
/// </summary>
internal static unsafe class ZstdApi
{
    /// <summary><c>ZSTD_MAGICNUMBER</c>, little-endian at the start of every (non-skippable) frame.</summary>
    internal const uint FrameMagic = 0xFD2FB528;

    internal const ulong ContentSizeUnknown = ulong.MaxValue;      // ZSTD_CONTENTSIZE_UNKNOWN
    internal const ulong ContentSizeError = ulong.MaxValue - 1;    // ZSTD_CONTENTSIZE_ERROR

    internal static bool IsError(nuint code) => Methods.ZSTD_isError(code);

    internal static ZSTD_ErrorCode ErrorCode(nuint code) => Methods.ZSTD_getErrorCode(code);

    internal static string ErrorName(nuint code) => Methods.ZSTD_getErrorName(code);

    internal static int MinLevel => Methods.ZSTD_minCLevel();

    internal static int MaxLevel => Methods.ZSTD_maxCLevel();

    internal static nuint CompressBound(nuint sourceSize) => Methods.ZSTD_compressBound(sourceSize);

    internal static ZSTD_CCtx_s* CreateCompressor() => Methods.ZSTD_createCCtx();

    internal static void Free(ZSTD_CCtx_s* context) => Methods.ZSTD_freeCCtx(context);

    internal static nuint SetParameter(ZSTD_CCtx_s* context, ZSTD_cParameter parameter, int value) =>
        Methods.ZSTD_CCtx_setParameter(context, parameter, value);

    internal static nuint Compress(ZSTD_CCtx_s* context, byte* destination, nuint capacity, byte* source, nuint length) =>
        Methods.ZSTD_compress2(context, destination, capacity, source, length);

    internal static ZSTD_DCtx_s* CreateDecompressor() => Methods.ZSTD_createDCtx();

    internal static void Free(ZSTD_DCtx_s* context) => Methods.ZSTD_freeDCtx(context);

    internal static nuint SetParameter(ZSTD_DCtx_s* context, ZSTD_dParameter parameter, int value) =>
        Methods.ZSTD_DCtx_setParameter(context, parameter, value);

    internal static ulong FrameContentSize(byte* source, nuint length) => Methods.ZSTD_getFrameContentSize(source, length);

    internal static nuint DecompressStream(ZSTD_DCtx_s* context, ZSTD_outBuffer_s* output, ZSTD_inBuffer_s* input) =>
        Methods.ZSTD_decompressStream(context, output, input);
}
