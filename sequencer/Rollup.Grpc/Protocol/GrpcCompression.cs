using System.Buffers;
using System.IO.Compression;

namespace Rollup.Grpc;

/// <summary>gzip per message, as the gzip <c>grpc-encoding</c> asks: a new compression context for every message.</summary>
internal static class GrpcCompression
{
    /// <summary>Decompresses one message into a pooled buffer, refusing to produce more than <paramref name="maxSize"/> bytes.</summary>
    public static PooledBufferWriter DecompressGzip(ReadOnlySequence<byte> payload, int maxSize)
    {
        var output = new PooledBufferWriter((int)Math.Min(Math.Max(payload.Length * 4, 256), maxSize + 1L));
        try
        {
            using var gzip = new GZipStream(new SequenceReadStream(payload), CompressionMode.Decompress);
            while (true)
            {
                var span = output.GetSpan(4096);
                var read = gzip.Read(span);
                if (read == 0)
                {
                    return output;
                }
                output.Advance(read);
                if (output.WrittenCount > maxSize)
                {
                    throw new RpcException(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size after decompression.");
                }
            }
        }
        catch (InvalidDataException error)
        {
            output.Dispose();
            throw new RpcException(new Status(StatusCode.Internal, "Failed to decompress message."), null, error);
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    public static void CompressGzip(ReadOnlySpan<byte> input, IBufferWriter<byte> output, CompressionLevel level)
    {
        using var gzip = new GZipStream(new BufferWriterStream(output), level);
        gzip.Write(input);
    }
}
