using System.Buffers;

namespace Rollup.Primitives.Compression;

/// <summary>Helpers the codecs share: length checks and the array-returning compress.</summary>
internal static class CodecBuffers
{
    /// <summary>A native size bound as an <see cref="int"/> length, or an argument error when it does not fit.</summary>
    internal static int BoundToLength(nuint bound, int sourceLength) => bound <= int.MaxValue
        ? (int)bound
        : throw new ArgumentOutOfRangeException(nameof(sourceLength), sourceLength, "The compressed bound of this length does not fit in an Int32.");

    internal static void RequireCapacity(Span<byte> destination, int bound, CompressionCodecId codec)
    {
        if (destination.Length < bound)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes; {CompressionFailures.Name(codec)} needs MaxCompressedLength = {bound} for this source.",
                nameof(destination));
        }
    }

    /// <summary>Compresses into a pooled buffer of the worst-case size, then copies out exactly what was written.</summary>
    internal static byte[] CompressToArray(ICompressionCodec codec, ReadOnlySpan<byte> source)
    {
        var pool = ArrayPool<byte>.Shared;
        var buffer = pool.Rent(codec.MaxCompressedLength(source.Length));
        try
        {
            var written = codec.Compress(source, buffer);
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            pool.Return(buffer);
        }
    }
}
