namespace Rollup.Primitives.Compression;

/// <summary>
/// Identifies a compression codec. <b>Wire format:</b> the value is the single byte written into a
/// batch frame header, so the numbers below are fixed forever; never renumber or reuse one.
/// </summary>
#pragma warning disable CA1028 // One byte on the wire: the enum's storage says so.
public enum CompressionCodecId : byte
#pragma warning restore CA1028
{
    /// <summary>Payload stored as is.</summary>
    None = 0,

    /// <summary>One LZ4 frame (lz4frame format, magic 0x184D2204), as <see cref="Lz4FrameCodec"/> writes it.</summary>
    Lz4 = 1,

    /// <summary>One Zstandard frame (magic 0xFD2FB528), as <see cref="ZstdCodec"/> writes it.</summary>
    Zstd = 2,
}
