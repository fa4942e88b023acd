using System.Runtime.InteropServices;

namespace Rollup.Primitives.Compression.Native;

/// <summary>
/// The LZ4 frame API of Debian's <c>liblz4.so.1</c> (1.9.4), as declared in <c>/usr/include/lz4frame.h</c>.
/// Contexts are raw pointers; callers free them in <c>finally</c> blocks.
/// </summary>
internal static unsafe partial class Lz4Native
{
    private const string Library = "liblz4.so.1";

    /// <summary><c>LZ4F_VERSION</c>: the API version contexts are created for.</summary>
    internal const uint ApiVersion = 100;

    /// <summary><c>LZ4F_MAGICNUMBER</c>, little-endian at the start of every frame.</summary>
    internal const uint FrameMagic = 0x184D2204;

    [LibraryImport(Library)]
    internal static partial uint LZ4F_getVersion();

    [LibraryImport(Library)]
    internal static partial uint LZ4F_isError(nuint code);

    /// <summary>Returns a static C string; never free it.</summary>
    [LibraryImport(Library)]
    internal static partial byte* LZ4F_getErrorName(nuint code);

    [LibraryImport(Library)]
    internal static partial int LZ4F_compressionLevel_max();

    [LibraryImport(Library)]
    internal static partial nuint LZ4F_compressFrameBound(nuint srcSize, Lz4Preferences* preferences);

    [LibraryImport(Library)]
    internal static partial nuint LZ4F_compressFrame(
        byte* dstBuffer, nuint dstCapacity, byte* srcBuffer, nuint srcSize, Lz4Preferences* preferences);

    [LibraryImport(Library)]
    internal static partial nuint LZ4F_createDecompressionContext(nint* dctxPtr, uint version);

    [LibraryImport(Library)]
    internal static partial nuint LZ4F_freeDecompressionContext(nint dctx);

    [LibraryImport(Library)]
    internal static partial nuint LZ4F_getFrameInfo(nint dctx, Lz4FrameInfo* frameInfo, byte* srcBuffer, nuint* srcSize);

    /// <summary><paramref name="options"/> may be null (all defaults: history kept internally, checksums verified).</summary>
    [LibraryImport(Library)]
    internal static partial nuint LZ4F_decompress(
        nint dctx, byte* dstBuffer, nuint* dstSize, byte* srcBuffer, nuint* srcSize, void* options);
}
