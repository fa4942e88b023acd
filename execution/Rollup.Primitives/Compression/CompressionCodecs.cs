using System.Diagnostics.CodeAnalysis;

namespace Rollup.Primitives.Compression;

/// <summary>
/// The codec for each wire id, at default levels. Any instance of a codec decodes what every level of it wrote,
/// so these serve all decoding; compress with a codec constructed at the level you want.
/// </summary>
public static class CompressionCodecs
{
    public static NoCompressionCodec None => NoCompressionCodec.Instance;

    public static Lz4FrameCodec Lz4 { get; } = new();

    public static ZstdCodec Zstd { get; } = new();

    /// <summary>The codec for an id.</summary>
    /// <exception cref="CompressionException">No codec has this id (<see cref="CompressionError.UnknownCodec"/>).</exception>
    public static ICompressionCodec Get(CompressionCodecId id) =>
        TryGet((byte)id, out var codec) ? codec : throw CompressionFailures.UnknownCodec((byte)id);

    /// <summary>The codec for a codec byte read from the wire.</summary>
    /// <exception cref="CompressionException">No codec has this id (<see cref="CompressionError.UnknownCodec"/>).</exception>
    public static ICompressionCodec FromWireId(byte wireId) => Get((CompressionCodecId)wireId);

    public static bool TryGet(byte wireId, [NotNullWhen(true)] out ICompressionCodec? codec)
    {
        codec = (CompressionCodecId)wireId switch
        {
            CompressionCodecId.None => None,
            CompressionCodecId.Lz4 => Lz4,
            CompressionCodecId.Zstd => Zstd,
            _ => null,
        };
        return codec is not null;
    }
}
