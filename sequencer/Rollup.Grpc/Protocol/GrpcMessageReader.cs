using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Rollup.Grpc;

/// <summary>
/// Reads length-prefixed messages (1 byte compressed flag, 4 bytes big-endian length, body) from a
/// <see cref="PipeReader"/>. Frames may arrive split anywhere: a partial frame waits for more bytes.
/// The declared length is checked against the limit as soon as the 5-byte prefix is there, before the
/// body is awaited. Messages are parsed straight from the pipe's buffers.
/// </summary>
internal sealed class GrpcMessageReader(PipeReader reader, int maxMessageSize, string? encoding)
{
    private enum FrameOutcome
    {
        Message,
        EndOfStream,
        NeedMoreData,
    }

    public PipeReader Reader => reader;

    /// <summary>The next message, or null at a clean end of the stream (no bytes left).</summary>
    public ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        if (reader.TryRead(out var result))
        {
            var outcome = TryTakeFrame(result, parser, out var message);
            if (outcome != FrameOutcome.NeedMoreData)
            {
                return new ValueTask<T?>(message);
            }
        }
        return ReadSlowAsync(parser, cancellationToken);
    }

    /// <summary>True when the stream has ended with no byte after the last whole message.</summary>
    public async ValueTask<bool> IsAtEndAsync(CancellationToken cancellationToken)
    {
        var result = await reader.ReadAsync(cancellationToken);
        var buffer = result.Buffer;
        while (buffer.IsEmpty && !result.IsCompleted && !result.IsCanceled)
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            result = await reader.ReadAsync(cancellationToken);
            buffer = result.Buffer;
        }
        reader.AdvanceTo(buffer.Start);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The read was canceled.");
        }
        return buffer.IsEmpty;
    }

    private async ValueTask<T?> ReadSlowAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var outcome = TryTakeFrame(result, parser, out var message);
            if (outcome != FrameOutcome.NeedMoreData)
            {
                return message;
            }
        }
    }

    private FrameOutcome TryTakeFrame<T>(ReadResult result, MessageParser<T> parser, out T? message)
        where T : class, IMessage<T>
    {
        message = null;
        var buffer = result.Buffer;
        if (result.IsCanceled)
        {
            reader.AdvanceTo(buffer.Start);
            throw new OperationCanceledException("The read was canceled.");
        }
        if (buffer.Length >= GrpcProtocol.HeaderSize)
        {
            Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
            buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
            var flag = header[0];
            var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
            if (flag > 1)
            {
                reader.AdvanceTo(buffer.Start);
                throw new RpcException(StatusCode.Internal, $"Invalid compressed flag {flag} in message prefix.");
            }
            if (length > (uint)maxMessageSize)
            {
                reader.AdvanceTo(buffer.Start);
                throw new RpcException(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} > {maxMessageSize} bytes).");
            }
            if (buffer.Length - GrpcProtocol.HeaderSize >= length)
            {
                var payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
                try
                {
                    message = Parse(payload, flag == 1, parser);
                }
                finally
                {
                    reader.AdvanceTo(payload.End);
                }
                return FrameOutcome.Message;
            }
        }
        if (result.IsCompleted)
        {
            reader.AdvanceTo(buffer.End);
            return buffer.IsEmpty
                ? FrameOutcome.EndOfStream
                : throw new RpcException(StatusCode.Internal, "Incomplete message: the stream ended inside a length-prefixed message.");
        }
        reader.AdvanceTo(buffer.Start, buffer.End);
        return FrameOutcome.NeedMoreData;
    }

    private T Parse<T>(ReadOnlySequence<byte> payload, bool compressed, MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }
            if (encoding is null || encoding.Equals(GrpcProtocol.Identity, StringComparison.OrdinalIgnoreCase))
            {
                throw new RpcException(StatusCode.Internal, "A message is marked compressed but no grpc-encoding was given.");
            }
            if (!encoding.Equals(GrpcProtocol.Gzip, StringComparison.OrdinalIgnoreCase))
            {
                throw new RpcException(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'. Supported: {GrpcProtocol.SupportedEncodings}.");
            }
            using var decompressed = GrpcCompression.DecompressGzip(payload, maxMessageSize);
            return parser.ParseFrom(decompressed.WrittenSpan);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize message."), null, error);
        }
    }
}
