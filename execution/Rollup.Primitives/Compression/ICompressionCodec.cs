namespace Rollup.Primitives.Compression;

/// <summary>
/// A compression format. Implementations are immutable and safe to share between threads.
/// Decompression always has a hard output limit: input whose content would exceed it is refused with a
/// <see cref="CompressionException"/> without allocating more than the limit.
/// </summary>
public interface ICompressionCodec
{
    /// <summary>The codec's wire id (see <see cref="CompressionCodecId"/>).</summary>
    CompressionCodecId Id { get; }

    /// <summary>The destination length <see cref="Compress(ReadOnlySpan{byte}, Span{byte})"/> needs for a source of this length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative, or its bound does not fit an <see cref="int"/>.</exception>
    int MaxCompressedLength(int sourceLength);

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="MaxCompressedLength"/>.</exception>
    int Compress(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>Compresses <paramref name="source"/> into a new array of exactly the compressed length.</summary>
    byte[] Compress(ReadOnlySpan<byte> source);

    /// <summary>
    /// Decompresses exactly one frame into <paramref name="destination"/>, whose length is the hard limit,
    /// and returns the bytes written.
    /// </summary>
    /// <exception cref="CompressionException">The input is corrupt, truncated, followed by other bytes, or decompresses to more than <paramref name="destination"/> holds.</exception>
    int Decompress(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>
    /// Decompresses exactly one frame into a new array of exactly the decompressed length, refusing content longer
    /// than <paramref name="maxDecompressedLength"/>. Memory grows with the real output, never up front to the limit.
    /// </summary>
    /// <exception cref="CompressionException">As for <see cref="Decompress(ReadOnlySpan{byte}, Span{byte})"/>.</exception>
    byte[] Decompress(ReadOnlySpan<byte> source, int maxDecompressedLength);
}
