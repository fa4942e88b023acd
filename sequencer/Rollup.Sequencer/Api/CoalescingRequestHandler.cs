using System.Buffers;
using System.Net;

namespace Rollup.Sequencer.Api;

/// <summary>
/// Lets a Grpc.Net.Client channel send a <see cref="StreamWriterExtensions.WriteManyAsync"/> burst as one write: the
/// client (2.85) flushes the HTTP/2 request body after every message whatever its write flags, so a burst of 64
/// requests went out as 64 sends and reached the server in as many reads, each admitted as a batch of its own. Under
/// this handler a request stream's bytes wait in a buffer while a burst is being written, and go out with the
/// burst's last message. Everything else (a single message, the end of the stream) is sent as the client asks.
/// </summary>
/// <remarks>
/// The burst is marked by an <see cref="AsyncLocal{T}"/> that <c>WriteManyAsync</c> sets around all but its last
/// message: the client writes and flushes inside the caller's async flow, which is where the flag is seen. At most
/// <see cref="MaxHeldBytes"/> wait; past that they are sent at once.
/// </remarks>
public sealed class CoalescingRequestHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public const int MaxHeldBytes = 1 << 20;

    private static readonly AsyncLocal<bool> Holding = new();

    /// <summary>A channel handler for the client side: sockets over HTTP/2, with bursts coalesced.</summary>
    public static CoalescingRequestHandler OverSockets() => new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    /// <summary>Flushes in this async flow wait for the end of the burst while <paramref name="holding"/>.</summary>
    internal static void Hold(bool holding) => Holding.Value = holding;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            request.Content = new CoalescingContent(content);
        }
        return base.SendAsync(request, cancellationToken);
    }

    private sealed class CoalescingContent : HttpContent
    {
        private readonly HttpContent _inner;

        public CoalescingContent(HttpContent inner)
        {
            _inner = inner;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await using var coalescing = new CoalescingStream(stream);
            await _inner.CopyToAsync(coalescing, cancellationToken).ConfigureAwait(false);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private sealed class CoalescingStream(Stream inner) : Stream
    {
        private readonly ArrayBufferWriter<byte> _held = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer) => _held.Write(buffer);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _held.Write(buffer.Span);
            return _held.WrittenCount > MaxHeldBytes ? new ValueTask(SendAsync(cancellationToken)) : ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            Holding.Value ? Task.CompletedTask : SendAsync(cancellationToken);

        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override async ValueTask DisposeAsync()
        {
            await SendAsync(CancellationToken.None).ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        private async Task SendAsync(CancellationToken cancellationToken)
        {
            if (_held.WrittenCount > 0)
            {
                await inner.WriteAsync(_held.WrittenMemory, cancellationToken).ConfigureAwait(false);
                _held.ResetWrittenCount();
            }
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
