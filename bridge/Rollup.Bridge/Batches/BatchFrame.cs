using System.Buffers.Binary;
using Rollup.Primitives.Compression;

namespace Rollup.Bridge.Batches;

/// <summary>
/// The versioned envelope a batch travels in: magic "RB" ‖ version u8 ‖ codec u8 (0 none, 1 LZ4 frame,
/// 2 zstd) ‖ payload length u32 (before compression) ‖ the compressed payload (docs/batches.md).
/// </summary>
public static class BatchFrame
{
    public const byte Version = 1;
    public const int HeaderLength = 8;
    private const byte Magic0 = (byte)'R';
    private const byte Magic1 = (byte)'B';

    public static byte[] Encode(L2Batch batch, CompressionCodecId codec) => Wrap(ColumnarBatchEncoder.Encode(batch), codec);

    public static byte[] Wrap(ReadOnlySpan<byte> payload, CompressionCodecId codec)
    {
        var compressor = CompressionCodecs.Get(codec);
        var frame = new byte[HeaderLength + compressor.MaxCompressedLength(payload.Length)];
        frame[0] = Magic0;
        frame[1] = Magic1;
        frame[2] = Version;
        frame[3] = (byte)codec;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        var written = compressor.Compress(payload, frame.AsSpan(HeaderLength));
        return frame.AsSpan(0, HeaderLength + written).ToArray();
    }

    public static L2Batch Decode(ReadOnlySpan<byte> frame, BatchLimits limits) =>
        ColumnarBatchDecoder.Decode(Unwrap(frame, limits, out _), limits);

    /// <summary>The payload, decompressed to exactly its declared length and never past the limits.</summary>
    public static byte[] Unwrap(ReadOnlySpan<byte> frame, BatchLimits limits, out CompressionCodecId codec)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (frame.Length > limits.MaxFrameBytes)
        {
            throw new BatchFormatException($"frame of {frame.Length} bytes exceeds the limit of {limits.MaxFrameBytes}");
        }
        if (frame.Length < HeaderLength || frame[0] != Magic0 || frame[1] != Magic1)
        {
            throw new BatchFormatException("not a batch frame (magic \"RB\" missing)");
        }
        if (frame[2] != Version)
        {
            throw new BatchFormatException($"frame version {frame[2]} is not supported (this node reads version {Version})");
        }
        if (!CompressionCodecs.TryGet(frame[3], out var compressor))
        {
            throw new BatchFormatException($"unknown compression codec {frame[3]}");
        }
        codec = compressor.Id;
        var declared = BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
        if (declared > (uint)limits.MaxPayloadBytes)
        {
            throw new BatchFormatException($"declared payload of {declared} bytes exceeds the limit of {limits.MaxPayloadBytes}");
        }
        byte[] payload;
        try
        {
            payload = compressor.Decompress(frame[HeaderLength..], (int)declared);
        }
        catch (CompressionException e)
        {
            throw new BatchFormatException($"{codec} body: {e.Message}", e);
        }
        if (payload.Length != declared)
        {
            throw new BatchFormatException($"body decompresses to {payload.Length} bytes, the header says {declared}");
        }
        return payload;
    }
}
