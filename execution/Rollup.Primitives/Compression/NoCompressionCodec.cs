namespace Rollup.Primitives.Compression;

/// <summary>Stores the payload as is (wire id 0). The limit still applies on the way in.</summary>
public sealed class NoCompressionCodec : ICompressionCodec
{
    private NoCompressionCodec()
    {
    }

    public static NoCompressionCodec Instance { get; } = new();

    public CompressionCodecId Id => CompressionCodecId.None;

    public int MaxCompressedLength(int sourceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        return sourceLength;
    }

    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        CodecBuffers.RequireCapacity(destination, source.Length, Id);
        source.CopyTo(destination);
        return source.Length;
    }

    public byte[] Compress(ReadOnlySpan<byte> source) => source.ToArray();

    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length > destination.Length)
        {
            throw CompressionFailures.LimitExceeded(Id, destination.Length);
        }
        source.CopyTo(destination);
        return source.Length;
    }

    public byte[] Decompress(ReadOnlySpan<byte> source, int maxDecompressedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecompressedLength);
        return source.Length <= maxDecompressedLength
            ? source.ToArray()
            : throw CompressionFailures.LimitExceeded(Id, maxDecompressedLength);
    }
}
