using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rollup.Testing;

/// <summary>
/// A slow client made by hand: one h2c connection (prior knowledge) carrying one gRPC call whose message prefix
/// declares <c>declaredLength</c> bytes, of which it sends only <c>bodyBytes</c> (honouring the server's flow-control
/// windows), then stalls. It keeps the connection alive as a real HTTP/2 stack would (it acknowledges SETTINGS and
/// answers PINGs) and reports when the server ends its stream: RST_STREAM, a response with END_STREAM, or the
/// connection closing.
/// </summary>
public sealed class StalledGrpcCall : IAsyncDisposable
{
    private const int StreamId = 1;
    private const int FrameSize = 16_384; // HTTP/2's default SETTINGS_MAX_FRAME_SIZE
    private const byte Data = 0, Headers = 1, RstStream = 3, Settings = 4, Ping = 6, GoAway = 7, WindowUpdate = 8;
    private const byte EndStream = 1, Ack = 1, EndHeaders = 4;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Lock _windows = new();
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private long _connectionWindow = 65_535;
    private long _streamWindow = 65_535;
    private long _initialStreamWindow = 65_535;
    private TaskCompletionSource _windowGrew = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reading;

    private StalledGrpcCall(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>Completes with how the server ended the call (e.g. "RST_STREAM 2", "closed"); never on its own.</summary>
    public Task<string> Ended => _ended.Task;

    /// <summary>Message bytes sent, the 5-byte prefix included.</summary>
    public long Sent { get; private set; }

    /// <summary>
    /// Connects, starts the call on <paramref name="path"/> (e.g. <c>/rollup.v1.Submission/Submit</c>) and sends the
    /// prefix and <paramref name="bodyBytes"/> zero bytes of the message, or as many as the server takes before it ends
    /// the stream or <paramref name="cancellation"/> fires.
    /// </summary>
    public static async Task<StalledGrpcCall> StartAsync(int port, string path, int declaredLength, int bodyBytes, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellation);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var call = new StalledGrpcCall(socket);
        try
        {
            await call.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), cancellation);
            await call.WriteFrameAsync(Settings, 0, 0, ReadOnlyMemory<byte>.Empty, cancellation);
            call._reading = Task.Run(call.ReadLoopAsync, CancellationToken.None);
            await call.WriteFrameAsync(Headers, EndHeaders, StreamId, HeaderBlock(port, path), cancellation);
            var prefix = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)declaredLength);
            await call.SendAsync(prefix, cancellation);
            var zeros = new byte[FrameSize];
            for (var left = bodyBytes; left > 0 && !call.Ended.IsCompleted;)
            {
                var chunk = await call.SendAsync(zeros.AsMemory(0, Math.Min(left, FrameSize)), cancellation);
                left -= chunk;
            }
            return call;
        }
        catch
        {
            await call.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends as much of <paramref name="bytes"/> as the windows allow (waiting for them to open): returns how much.</summary>
    private async Task<int> SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (true)
        {
            Task grew;
            int size;
            lock (_windows)
            {
                size = (int)Math.Min(bytes.Length, Math.Min(_connectionWindow, _streamWindow));
                if (size > 0)
                {
                    _connectionWindow -= size;
                    _streamWindow -= size;
                }
                grew = _windowGrew.Task;
            }
            if (size > 0)
            {
                await WriteFrameAsync(Data, 0, StreamId, bytes[..size], cancellation);
                Sent += size;
                return size;
            }
            if (await Task.WhenAny(grew, Ended).WaitAsync(cancellation) == Ended)
            {
                return bytes.Length; // nothing more to send to a stream the server has ended
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[9];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(header, _stop.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var (type, flags) = (header[3], header[4]);
                var stream = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF);
                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload, _stop.Token);
                switch (type)
                {
                    case Settings when (flags & Ack) == 0:
                        ApplySettings(payload);
                        await WriteFrameAsync(Settings, Ack, 0, ReadOnlyMemory<byte>.Empty, _stop.Token);
                        break;
                    case Ping when (flags & Ack) == 0:
                        await WriteFrameAsync(Ping, Ack, 0, payload, _stop.Token);
                        break;
                    case WindowUpdate:
                        Grow(stream, BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFF_FFFF);
                        break;
                    case RstStream when stream == StreamId:
                        _ended.TrySetResult($"RST_STREAM {BinaryPrimitives.ReadUInt32BigEndian(payload)}");
                        break;
                    case Headers or Data when stream == StreamId && (flags & EndStream) != 0:
                        _ended.TrySetResult("END_STREAM");
                        break;
                    case GoAway:
                        break; // the connection closing follows
                }
            }
        }
        catch (Exception error) when (error is IOException or SocketException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
            _ended.TrySetResult("closed");
        }
    }

    private void ApplySettings(byte[] payload)
    {
        for (var at = 0; at + 6 <= payload.Length; at += 6)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(at)) == 4) // SETTINGS_INITIAL_WINDOW_SIZE
            {
                var initial = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(at + 2));
                lock (_windows)
                {
                    _streamWindow += initial - _initialStreamWindow;
                    _initialStreamWindow = initial;
                }
                Grow(StreamId, 0);
            }
        }
    }

    private void Grow(int stream, long increment)
    {
        lock (_windows)
        {
            if (stream == 0)
            {
                _connectionWindow += increment;
            }
            else if (stream == StreamId)
            {
                _streamWindow += increment;
            }
            _windowGrew.TrySetResult();
            _windowGrew = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>HPACK literal fields without indexing or Huffman coding: all a server must understand.</summary>
    private static byte[] HeaderBlock(int port, string path)
    {
        var block = new MemoryStream();
        foreach (var (name, value) in new[] { (":method", "POST"), (":scheme", "http"), (":authority", $"127.0.0.1:{port}"), (":path", path), ("content-type", "application/grpc"), ("te", "trailers") })
        {
            block.WriteByte(0);
            WriteString(block, name);
            WriteString(block, value);
        }
        return block.ToArray();
    }

    private static void WriteString(MemoryStream block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (bytes.Length >= 127)
        {
            throw new ArgumentException("header too long for this encoder", nameof(text));
        }
        block.WriteByte((byte)bytes.Length);
        block.Write(bytes);
    }

    private async Task WriteFrameAsync(byte type, byte flags, int stream, ReadOnlyMemory<byte> payload, CancellationToken cancellation)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)stream);
        payload.CopyTo(frame.AsMemory(9));
        await WriteAsync(frame, cancellation);
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken cancellation)
    {
        await _writing.WaitAsync(cancellation);
        try
        {
            await _stream.WriteAsync(bytes, cancellation);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        if (_reading is not null)
        {
            await _reading;
        }
        await _stream.DisposeAsync();
        _stop.Dispose();
        _writing.Dispose();
    }
}
