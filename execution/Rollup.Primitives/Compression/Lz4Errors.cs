using System.Runtime.InteropServices;
using Rollup.Primitives.Compression.Native;

namespace Rollup.Primitives.Compression;

/// <summary>Turns liblz4 frame-API error results into exceptions.</summary>
internal static unsafe class Lz4Errors
{
    internal static bool IsError(nuint result) => Lz4Native.LZ4F_isError(result) != 0;

    /// <summary>The <c>LZ4F_errorCodes</c> value of an error result, which is <c>(size_t)-code</c>.</summary>
    internal static int Code(nuint result) => (int)-(nint)result;

    internal static string Name(nuint result) =>
        Marshal.PtrToStringUTF8((nint)Lz4Native.LZ4F_getErrorName(result)) ?? "unnamed LZ4F error";

    /// <summary>A decoding error: the data's fault, except for a failed allocation.</summary>
    internal static Exception Decoding(nuint result) => Code(result) switch
    {
        Lz4Constants.ErrorAllocationFailed => new InsufficientMemoryException($"liblz4 could not allocate decoder memory ({Name(result)})"),
        Lz4Constants.ErrorFrameHeaderIncomplete => Data(CompressionError.Truncated, result),
        Lz4Constants.ErrorFrameTypeUnknown => Data(CompressionError.BadMagic, result),
        Lz4Constants.ErrorHeaderChecksumInvalid
            or Lz4Constants.ErrorBlockChecksumInvalid
            or Lz4Constants.ErrorContentChecksumInvalid => Data(CompressionError.ChecksumMismatch, result),
        Lz4Constants.ErrorFrameSizeWrong => Data(CompressionError.Corrupt, result, "its content length differs from the size its header declares"),
        _ => Data(CompressionError.Corrupt, result),
    };

    /// <summary>A compression error: never the data's fault.</summary>
    internal static Exception Encoding(nuint result) => Code(result) == Lz4Constants.ErrorAllocationFailed
        ? new InsufficientMemoryException($"liblz4 could not allocate compressor memory ({Name(result)})")
        : new InvalidOperationException($"LZ4F_compressFrame failed: {Name(result)}");

    private static CompressionException Data(CompressionError error, nuint result, string? detail = null) =>
        CompressionFailures.Native(CompressionCodecId.Lz4, error, Name(result), detail);
}
