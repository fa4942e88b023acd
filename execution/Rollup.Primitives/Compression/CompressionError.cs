namespace Rollup.Primitives.Compression;

/// <summary>Why a <see cref="CompressionException"/> was thrown.</summary>
public enum CompressionError
{
    /// <summary>A codec id that no codec has (an unknown wire byte).</summary>
    UnknownCodec,

    /// <summary>The input does not start with the codec's frame magic number.</summary>
    BadMagic,

    /// <summary>The input ends before its frame does.</summary>
    Truncated,

    /// <summary>The frame is malformed, or asks for a feature this decoder does not take (a dictionary, say).</summary>
    Corrupt,

    /// <summary>A header, block or content checksum does not match the data.</summary>
    ChecksumMismatch,

    /// <summary>Bytes follow the end of the frame.</summary>
    TrailingData,

    /// <summary>The frame header declares a content size over the caller's limit; nothing was decoded.</summary>
    DeclaredSizeExceedsLimit,

    /// <summary>Decoding produced more than the caller's limit (or the frame needs a larger window than allowed).</summary>
    LimitExceeded,
}
