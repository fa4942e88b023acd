using System.Runtime.InteropServices;
using Rollup.Primitives.Compression.Native;

namespace Rollup.Primitives.Compression;

/// <summary>Turns libzstd error results into exceptions.</summary>
internal static unsafe class ZstdErrors
{
    internal static bool IsError(nuint result) => ZstdNative.ZSTD_isError(result) != 0;

    internal static string Name(nuint result) =>
        Marshal.PtrToStringUTF8((nint)ZstdNative.ZSTD_getErrorName(result)) ?? "unnamed zstd error";

    /// <summary>A decoding error: the data's fault, except for a failed allocation.</summary>
    internal static Exception Decoding(nuint result) => ZstdNative.ZSTD_getErrorCode(result) switch
    {
        ZstdNative.ErrorMemoryAllocation => new InsufficientMemoryException($"libzstd could not allocate decoder memory ({Name(result)})"),
        ZstdNative.ErrorPrefixUnknown => Data(CompressionError.BadMagic, result),
        ZstdNative.ErrorChecksumWrong => Data(CompressionError.ChecksumMismatch, result),
        ZstdNative.ErrorWindowTooLarge => Data(CompressionError.LimitExceeded, result),
        // Decoding into a buffer sized by the header: the blocks hold more than the header said.
        ZstdNative.ErrorDstSizeTooSmall => Data(CompressionError.Corrupt, result, "its content is longer than its header declares"),
        ZstdNative.ErrorDictionaryWrong => Data(CompressionError.Corrupt, result, "it needs a dictionary, and none is used"),
        _ => Data(CompressionError.Corrupt, result),
    };

    /// <summary>A compression or set-up error: never the data's fault.</summary>
    internal static Exception Encoding(string function, nuint result) => ZstdNative.ZSTD_getErrorCode(result) == ZstdNative.ErrorMemoryAllocation
        ? new InsufficientMemoryException($"libzstd could not allocate memory ({Name(result)})")
        : new InvalidOperationException($"{function} failed: {Name(result)}");

    private static CompressionException Data(CompressionError error, nuint result, string? detail = null) =>
        CompressionFailures.Native(CompressionCodecId.Zstd, error, Name(result), detail);
}
