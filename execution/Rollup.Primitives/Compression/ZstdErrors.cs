using ZstdSharp.Unsafe;

namespace Rollup.Primitives.Compression;

/// <summary>Turns zstd error results into exceptions.</summary>
internal static class ZstdErrors
{
    internal static bool IsError(nuint result) => Methods.ZSTD_isError(result);

    internal static string Name(nuint result) => Methods.ZSTD_getErrorName(result);

    /// <summary>A decoding error: the data's fault, except for a failed allocation.</summary>
    internal static Exception Decoding(nuint result) => Methods.ZSTD_getErrorCode(result) switch
    {
        ZSTD_ErrorCode.ZSTD_error_memory_allocation => new InsufficientMemoryException($"zstd could not allocate decoder memory ({Name(result)})"),
        ZSTD_ErrorCode.ZSTD_error_prefix_unknown => Data(CompressionError.BadMagic, result),
        ZSTD_ErrorCode.ZSTD_error_checksum_wrong => Data(CompressionError.ChecksumMismatch, result),
        ZSTD_ErrorCode.ZSTD_error_frameParameter_windowTooLarge => Data(CompressionError.LimitExceeded, result),
        // Decoding into a buffer sized by the header: the blocks hold more than the header said.
        ZSTD_ErrorCode.ZSTD_error_dstSize_tooSmall => Data(CompressionError.Corrupt, result, "its content is longer than its header declares"),
        ZSTD_ErrorCode.ZSTD_error_dictionary_wrong => Data(CompressionError.Corrupt, result, "it needs a dictionary, and none is used"),
        _ => Data(CompressionError.Corrupt, result),
    };

    /// <summary>A compression or set-up error: never the data's fault.</summary>
    internal static Exception Encoding(string function, nuint result) => Methods.ZSTD_getErrorCode(result) == ZSTD_ErrorCode.ZSTD_error_memory_allocation
        ? new InsufficientMemoryException($"zstd could not allocate memory ({Name(result)})")
        : new InvalidOperationException($"{function} failed: {Name(result)}");

    private static CompressionException Data(CompressionError error, nuint result, string? detail = null) =>
        CompressionFailures.Native(CompressionCodecId.Zstd, error, Name(result), detail);
}
