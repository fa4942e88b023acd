using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using K4os.Hash.xxHash;

namespace Rollup.Primitives.Compression;

/// <summary>
/// LZ4 frame format (wire id 1): 64 KiB independent blocks compressed by K4os's LZ4 block codec, the content size in
/// the header and a content checksum at the end. Decodes any conforming single frame (other block sizes, linked
/// blocks, block checksums, no checksum), as the <c>lz4</c> tool writes them.
/// </summary>
/// <remarks>
/// Blocks are written independent (the LZ4 block API K4os exposes compresses without a dictionary); every LZ4 frame
/// decoder reads them, and a batch rarely spans more than one 64 KiB block. A block that would not shrink is stored.
/// </remarks>
public sealed class Lz4FrameCodec : ICompressionCodec
{
    /// <summary>Fast mode. Levels below 3 are fast mode (as in liblz4, where negative levels only add speed); 3 to 12 select LZ4HC.</summary>
    public const int DefaultLevel = 0;

    /// <summary><c>LZ4HC_CLEVEL_MAX</c>.</summary>
    public const int MaxLevel = 12;

    private readonly LZ4Level _level;

    public Lz4FrameCodec(int level = DefaultLevel)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        Level = level;
        _level = level < 3 ? LZ4Level.L00_FAST : (LZ4Level)level;
    }

    public int Level { get; }

    public CompressionCodecId Id => CompressionCodecId.Lz4;

    public int MaxCompressedLength(int sourceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        var blocks = ((long)sourceLength + Lz4Frame.WrittenBlockSize - 1) / Lz4Frame.WrittenBlockSize;
        // Header, each block's size word and at most its own length (a block that does not shrink is stored), end mark, checksum.
        var bound = Lz4Frame.MaxWrittenHeaderLength + (blocks * 4) + sourceLength + 4 + 4;
        return CodecBuffers.BoundToLength(bound <= int.MaxValue ? (nuint)bound : nuint.MaxValue, sourceLength);
    }

    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        CodecBuffers.RequireCapacity(destination, MaxCompressedLength(source.Length), Id);
        var position = WriteHeader(source.Length, destination);
        var scratch = ArrayPool<byte>.Shared.Rent(LZ4Codec.MaximumOutputSize(Lz4Frame.WrittenBlockSize));
        try
        {
            for (var offset = 0; offset < source.Length; offset += Lz4Frame.WrittenBlockSize)
            {
                var block = source.Slice(offset, Math.Min(Lz4Frame.WrittenBlockSize, source.Length - offset));
                var compressed = LZ4Codec.Encode(block, scratch, _level);
                if (compressed > 0 && compressed < block.Length)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(destination[position..], (uint)compressed);
                    scratch.AsSpan(0, compressed).CopyTo(destination[(position + 4)..]);
                    position += 4 + compressed;
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(destination[position..], Lz4Frame.UncompressedBlock | (uint)block.Length);
                    block.CopyTo(destination[(position + 4)..]);
                    position += 4 + block.Length;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(destination[position..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(position + 4)..], XXH32.DigestOf(source));
        return position + 8;
    }

    public byte[] Compress(ReadOnlySpan<byte> source) => CodecBuffers.CompressToArray(this, source);

    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var decoder = new Lz4FrameDecoder();
        try
        {
            return FrameDecoding.DecompressInto(ref decoder, source, destination);
        }
        finally
        {
            decoder.Dispose();
        }
    }

    public byte[] Decompress(ReadOnlySpan<byte> source, int maxDecompressedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecompressedLength);
        var decoder = new Lz4FrameDecoder();
        try
        {
            return FrameDecoding.DecompressToArray(ref decoder, source, maxDecompressedLength);
        }
        finally
        {
            decoder.Dispose();
        }
    }

    /// <summary>Magic, FLG, BD, the content size (only when there is content: 0 reads as "not recorded"), the header checksum.</summary>
    private static int WriteHeader(int contentLength, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Lz4Frame.Magic);
        var flags = (byte)((Lz4Frame.Version << 6) | Lz4Frame.BlockIndependence | Lz4Frame.ContentChecksum);
        var length = 2;
        if (contentLength > 0)
        {
            flags |= Lz4Frame.ContentSize;
            BinaryPrimitives.WriteUInt64LittleEndian(destination[6..], (ulong)contentLength);
            length += 8;
        }
        destination[4] = flags;
        destination[5] = Lz4Frame.BlockSizeId64K << 4;
        destination[4 + length] = Lz4Frame.HeaderChecksum(destination.Slice(4, length));
        return 4 + length + 1;
    }
}
