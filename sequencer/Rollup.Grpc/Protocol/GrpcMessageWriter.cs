using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace Rollup.Grpc;

/// <summary>Writes one length-prefixed message, optionally gzip-compressed.</summary>
internal static class GrpcMessageWriter
{
    /// <summary>Messages up to this size are serialized into one contiguous span; larger ones in segments.</summary>
    private const int ContiguousLimit = 4096;

    public static void Write(IBufferWriter<byte> output, IMessage message, int? maxMessageSize, CompressionLevel? compression)
    {
        var size = CheckedSize(message, maxMessageSize);
        if (compression is { } level)
        {
            WriteCompressed(output, message, size, level);
            return;
        }
        if (size <= ContiguousLimit)
        {
            var span = output.GetSpan(GrpcProtocol.HeaderSize + size);
            WriteHeader(span, compressed: false, size);
            message.WriteTo(span.Slice(GrpcProtocol.HeaderSize, size));
            output.Advance(GrpcProtocol.HeaderSize + size);
            return;
        }
        WriteHeader(output.GetSpan(GrpcProtocol.HeaderSize), compressed: false, size);
        output.Advance(GrpcProtocol.HeaderSize);
        message.WriteTo(output);
    }

    /// <summary>One whole frame in a new array (the client's unary request body).</summary>
    public static byte[] WriteToArray(IMessage message, int? maxMessageSize, CompressionLevel? compression)
    {
        if (compression is null)
        {
            var size = CheckedSize(message, maxMessageSize);
            var frame = new byte[GrpcProtocol.HeaderSize + size];
            WriteHeader(frame, compressed: false, size);
            message.WriteTo(frame.AsSpan(GrpcProtocol.HeaderSize));
            return frame;
        }
        using var buffer = new PooledBufferWriter();
        Write(buffer, message, maxMessageSize, compression);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }

    private static int CheckedSize(IMessage message, int? maxMessageSize)
    {
        var size = message.CalculateSize();
        if (size > maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({size} > {maxMessageSize} bytes).");
        }
        return size;
    }

    private static void WriteCompressed(IBufferWriter<byte> output, IMessage message, int size, CompressionLevel level)
    {
        using var plain = new PooledBufferWriter(size);
        message.WriteTo(plain.GetSpan(size)[..size]);
        plain.Advance(size);
        using var packed = new PooledBufferWriter(Math.Max(64, size / 2));
        GrpcCompression.CompressGzip(plain.WrittenSpan, packed, level);
        var frame = output.GetSpan(GrpcProtocol.HeaderSize);
        WriteHeader(frame, compressed: true, packed.WrittenCount);
        output.Advance(GrpcProtocol.HeaderSize);
        output.Write(packed.WrittenSpan);
    }
}
