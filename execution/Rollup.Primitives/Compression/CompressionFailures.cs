namespace Rollup.Primitives.Compression;

/// <summary>Builds the <see cref="CompressionException"/>s every codec throws, so messages read the same everywhere.</summary>
internal static class CompressionFailures
{
    internal static string Name(CompressionCodecId codec) => codec switch
    {
        CompressionCodecId.Lz4 => "LZ4",
        CompressionCodecId.Zstd => "zstd",
        _ => "uncompressed",
    };

    internal static CompressionException UnknownCodec(byte id) =>
        new(CompressionError.UnknownCodec, $"unknown compression codec id {id} (known: 0 none, 1 LZ4, 2 zstd)");

    internal static CompressionException TooShortForMagic(CompressionCodecId codec, int length) =>
        new(CompressionError.Truncated, $"{Name(codec)} input is truncated: {length} bytes cannot hold a frame magic number");

    internal static CompressionException BadMagic(CompressionCodecId codec, uint found, uint expected) =>
        new(CompressionError.BadMagic, $"input is not {AFrame(codec)}: magic number 0x{found:X8}, expected 0x{expected:X8}");

    internal static CompressionException Truncated(CompressionCodecId codec, int length) =>
        new(CompressionError.Truncated, $"{Name(codec)} frame is truncated: the input ended after {length} bytes, before the end of the frame");

    internal static CompressionException Stalled(CompressionCodecId codec, int position) =>
        new(CompressionError.Corrupt, $"{Name(codec)} frame is corrupt: the decoder stopped making progress at byte {position}");

    internal static CompressionException TrailingData(CompressionCodecId codec, int frameLength, int trailing) =>
        new(CompressionError.TrailingData, $"{Name(codec)} frame is followed by {trailing} bytes of trailing data (the frame ends at byte {frameLength})");

    internal static CompressionException DeclaredSizeExceedsLimit(CompressionCodecId codec, long declared, int limit) =>
        new(CompressionError.DeclaredSizeExceedsLimit, $"{Name(codec)} frame header declares a content size of {declared} bytes, over the limit of {limit} bytes");

    internal static CompressionException LimitExceeded(CompressionCodecId codec, int limit) => codec == CompressionCodecId.None
        ? new(CompressionError.LimitExceeded, $"uncompressed payload is longer than the limit of {limit} bytes")
        : new(CompressionError.LimitExceeded, $"{Name(codec)} frame decompresses to more than the limit of {limit} bytes");

    internal static CompressionException LongerThanDeclared(CompressionCodecId codec, long declared) =>
        new(CompressionError.Corrupt, $"{Name(codec)} frame is corrupt: its content is longer than the {declared} bytes its header declares");

    internal static CompressionException ShorterThanDeclared(CompressionCodecId codec, long declared, int actual) =>
        new(CompressionError.Corrupt, $"{Name(codec)} frame is corrupt: its content is {actual} bytes but its header declares {declared}");

    /// <summary>An error reported by the native decoder, with its own name for the problem and, where it helps, ours.</summary>
    internal static CompressionException Native(CompressionCodecId codec, CompressionError error, string nativeName, string? detail = null) => error switch
    {
        CompressionError.Truncated => new(error, $"{Name(codec)} frame is truncated ({nativeName})"),
        CompressionError.BadMagic => new(error, $"input is not {AFrame(codec)} ({nativeName})"),
        CompressionError.ChecksumMismatch => new(error, $"{Name(codec)} frame failed a checksum, the data is corrupt ({nativeName})"),
        CompressionError.LimitExceeded => new(error, $"{Name(codec)} frame needs more decoder memory than the limit allows ({nativeName})"),
        _ when detail is not null => new(error, $"{Name(codec)} frame is corrupt: {detail} ({nativeName})"),
        _ => new(error, $"{Name(codec)} frame is corrupt ({nativeName})"),
    };

    private static string AFrame(CompressionCodecId codec) => codec == CompressionCodecId.Lz4 ? "an LZ4 frame" : $"a {Name(codec)} frame";
}
