using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Rollup.Grpc;

/// <summary>
/// One call on the server: what the handler may know (deadline, cancellation, metadata, peer) and,
/// internally, the call's state — the request reader, the response writes, the deadline timer and
/// the end of the call with its status.
/// </summary>
/// <remarks>
/// Concurrency: the handler reads and writes one message at a time. The only other party is the
/// deadline timer, which may end the call while the handler runs; when a deadline exists, writes and
/// the end of the call take <see cref="_writeLock"/>, and the handler's token is canceled first so a
/// write blocked on flow control gives the lock back.
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The call's end (EndCallAsync) disposes them; handlers never own the context.")]
public sealed class ServerCallContext
{
    private static readonly HashSet<string> ProtocolHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "te", "host", "user-agent", GrpcProtocol.TimeoutHeader, GrpcProtocol.EncodingHeader, GrpcProtocol.AcceptEncodingHeader,
    };

    private readonly ServerMethodSettings _settings;
    private readonly GrpcMessageReader _reader;
    private readonly CancellationTokenSource? _cts;
    private readonly SemaphoreSlim? _writeLock;
    private readonly TimeSpan _timeout;
    private ITimer? _deadlineTimer;
    private Task? _deadlineTask;
    private volatile bool _deadlineExceeded;
    private bool _completed;
    private bool _responseStarted;
    private CompressionLevel? _responseCompression;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;

    internal ServerCallContext(HttpContext httpContext, string method, ServerMethodSettings settings)
    {
        HttpContext = httpContext;
        Method = method;
        _settings = settings;
        var request = httpContext.Request;
        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        _reader = new GrpcMessageReader(request.BodyReader, settings.Options.MaxReceiveMessageSize, encoding.Length == 0 ? null : encoding);
        Deadline = DateTime.MaxValue;
        CancellationToken = httpContext.RequestAborted;

        var timeoutHeader = request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (GrpcTimeout.TryParse(timeoutHeader, out var timeout))
            {
                if (timeout < MaxTimerDelay)
                {
                    _timeout = timeout;
                    Deadline = DateTime.UtcNow + timeout;
                    _cts = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
                    _writeLock = new SemaphoreSlim(1, 1);
                    CancellationToken = _cts.Token;
                }
            }
            else
            {
                GrpcServerLog.InvalidTimeout(settings.Logger, timeoutHeader, method);
            }
        }
    }

    /// <summary>The longest deadline a timer can hold (about 49 days); longer ones are treated as none.</summary>
    private static TimeSpan MaxTimerDelay { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public HttpContext HttpContext { get; }

    /// <summary>The method's path, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    public string? Host => HttpContext.Request.Host.HasValue ? HttpContext.Request.Host.Value : null;

    /// <summary>The caller's address in gRPC's form: <c>ipv4:127.0.0.1:5000</c>, <c>ipv6:[::1]:5000</c>.</summary>
    public string Peer => FormatPeer(HttpContext.Connection.RemoteIpAddress, HttpContext.Connection.RemotePort);

    /// <summary>When the caller stops waiting (UTC), from <c>grpc-timeout</c>; <see cref="DateTime.MaxValue"/> without one.</summary>
    public DateTime Deadline { get; }

    /// <summary>Canceled when the caller cancels (RST_STREAM), the connection drops, or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The caller's custom metadata (protocol headers left out).</summary>
    public Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders();

    /// <summary>Metadata sent after the status, with it.</summary>
    public Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    /// <summary>Sends the response headers now, with <paramref name="headers"/> added; at most once, before the first message.</summary>
    public async Task WriteResponseHeadersAsync(Metadata headers)
    {
        if (_writeLock is not null)
        {
            await _writeLock.WaitAsync(CancellationToken);
        }
        try
        {
            ThrowIfCompleted();
            if (_responseStarted || HttpContext.Response.HasStarted)
            {
                throw new InvalidOperationException("Response headers were already sent.");
            }
            foreach (var entry in headers)
            {
                HttpContext.Response.Headers.Append(entry.Key, entry.Value);
            }
            _responseStarted = true;
            await HttpContext.Response.StartAsync(CancellationToken);
        }
        finally
        {
            _writeLock?.Release();
        }
    }

    internal bool DeadlineExceeded => _deadlineExceeded;

    /// <summary>Sets the response headers every call carries and starts the deadline timer.</summary>
    internal void Start()
    {
        var request = HttpContext.Request;
        var response = HttpContext.Response;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
        if (_settings.Options.CompressResponses && GrpcProtocol.ListsEncoding(request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString(), GrpcProtocol.Gzip))
        {
            _responseCompression = _settings.Options.ResponseCompressionLevel;
            response.Headers[GrpcProtocol.EncodingHeader] = GrpcProtocol.Gzip;
        }

        // A stream may last long and carry much: Kestrel's request-body rate and size limits are for
        // HTTP requests, not for gRPC streams, whose limits are per message.
        if (HttpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (_cts is not null)
        {
            _deadlineTimer = TimeProvider.System.CreateTimer(static state => ((ServerCallContext)state!).OnDeadline(), this, _timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The single request of a unary or server-streaming call: exactly one message, then the end of the stream.</summary>
    internal async ValueTask<T> ReadSingleMessageAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var message = await _reader.ReadMessageAsync(parser, CancellationToken)
            ?? throw new RpcException(StatusCode.Internal, "Incomplete message: no request message was sent for a method that takes one.");
        if (!await _reader.IsAtEndAsync(CancellationToken))
        {
            throw new RpcException(StatusCode.Internal, "Additional data after the request message of a method that takes one.");
        }
        return message;
    }

    internal ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T> => _reader.ReadMessageAsync(parser, cancellationToken);

    internal Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken) =>
        WriteMessagesAsync(new SingleMessage(message), cancellationToken);

    /// <summary>Writes the messages in order into the response body and flushes once.</summary>
    internal async Task WriteMessagesAsync<T>(IReadOnlyList<T> messages, CancellationToken cancellationToken)
        where T : IMessage
    {
        if (cancellationToken.CanBeCanceled && cancellationToken != CancellationToken)
        {
            // The call's own token must still stop the write (deadline, client gone).
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, CancellationToken);
            await WriteMessagesCoreAsync(messages, linked.Token);
            return;
        }
        await WriteMessagesCoreAsync(messages, CancellationToken);
    }

    private async Task WriteMessagesCoreAsync<T>(IReadOnlyList<T> messages, CancellationToken token)
        where T : IMessage
    {
        if (_writeLock is not null)
        {
            await _writeLock.WaitAsync(token);
        }
        try
        {
            ThrowIfCompleted();
            CancellationToken.ThrowIfCancellationRequested();
            var writer = HttpContext.Response.BodyWriter;
            for (var i = 0; i < messages.Count; i++)
            {
                GrpcMessageWriter.Write(writer, messages[i], _settings.Options.MaxSendMessageSize, _responseCompression);
                _responseStarted = true;
            }
            var result = await writer.FlushAsync(token);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The write was canceled.", token);
            }
        }
        finally
        {
            _writeLock?.Release();
        }
    }

    /// <summary>
    /// Ends the call: the final message of a unary or client-streaming call, then the status
    /// (in trailers, or in the headers when nothing was sent: Trailers-Only). Never throws.
    /// </summary>
    internal async Task EndCallAsync(IMessage? response, Exception? error)
    {
        if (_deadlineTimer is not null)
        {
            // After this the timer callback is not running and will not run: no one else writes.
            await _deadlineTimer.DisposeAsync();
        }
        if (Volatile.Read(ref _deadlineTask) is { } deadlineTask)
        {
            await deadlineTask;
        }
        try
        {
            if (_completed)
            {
                GrpcServerLog.HandlerEndedAfterDeadline(_settings.Logger, Method);
                return;
            }
            _completed = true;
            var status = Status.Ok;
            Metadata? trailers = null;
            if (error is null && response is not null)
            {
                try
                {
                    GrpcMessageWriter.Write(HttpContext.Response.BodyWriter, response, _settings.Options.MaxSendMessageSize, _responseCompression);
                    _responseStarted = true;
                }
                catch (RpcException sendError)
                {
                    error = sendError;
                }
            }
            if (error is not null)
            {
                (status, trailers) = ToStatus(error);
            }
            WriteStatus(status, trailers);
        }
        catch (Exception writeError) when (writeError is IOException or InvalidOperationException or OperationCanceledException)
        {
            GrpcServerLog.StatusNotWritten(_settings.Logger, Method, writeError);
        }
        finally
        {
            _cts?.Dispose();
            _writeLock?.Dispose();
        }
    }

    private (Status Status, Metadata? Trailers) ToStatus(Exception error)
    {
        if (error is RpcException rpc)
        {
            GrpcServerLog.RpcError(_settings.Logger, Method, rpc.StatusCode, rpc.Detail);
            return (rpc.Status, rpc.Trailers);
        }
        if (_deadlineExceeded)
        {
            return (new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), null);
        }
        if (HttpContext.RequestAborted.IsCancellationRequested)
        {
            GrpcServerLog.CallCanceled(_settings.Logger, Method);
            return (new Status(StatusCode.Cancelled, "Call canceled by the client."), null);
        }
        GrpcServerLog.HandlerError(_settings.Logger, Method, error);
        var detail = _settings.Options.EnableDetailedErrors
            ? $"Exception was thrown by handler. {error.GetType().Name}: {error.Message}"
            : "Exception was thrown by handler.";
        return (new Status(StatusCode.Unknown, detail), null);
    }

    private void WriteStatus(Status status, Metadata? trailers)
    {
        var response = HttpContext.Response;
        var code = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (!_responseStarted && !response.HasStarted)
        {
            // Trailers-Only: nothing was sent, so the status travels in the only HEADERS frame.
            var headers = response.Headers;
            headers[GrpcProtocol.StatusTrailer] = code;
            if (status.Detail.Length > 0)
            {
                headers[GrpcProtocol.MessageTrailer] = PercentEncoding.Encode(status.Detail);
            }
            AppendAll(_responseTrailers, headers.Append);
            AppendAll(trailers, headers.Append);
            return;
        }
        response.AppendTrailer(GrpcProtocol.StatusTrailer, code);
        if (status.Detail.Length > 0)
        {
            response.AppendTrailer(GrpcProtocol.MessageTrailer, PercentEncoding.Encode(status.Detail));
        }
        AppendAll(_responseTrailers, (key, value) => response.AppendTrailer(key, value));
        AppendAll(trailers, (key, value) => response.AppendTrailer(key, value));
    }

    private static void AppendAll(Metadata? metadata, Action<string, Microsoft.Extensions.Primitives.StringValues> append)
    {
        if (metadata is null)
        {
            return;
        }
        foreach (var entry in metadata)
        {
            append(entry.Key, entry.Value);
        }
    }

    private void OnDeadline()
    {
        _deadlineExceeded = true;
        try
        {
            _cts!.Cancel();
        }
        catch (AggregateException)
        {
            // A handler's cancellation callback threw; the call ends with DEADLINE_EXCEEDED all the same.
        }
        Volatile.Write(ref _deadlineTask, EndAfterDeadlineAsync());
    }

    /// <summary>The deadline passed while the handler runs: send DEADLINE_EXCEEDED now and reset the stream (CANCEL), as the spec asks.</summary>
    private async Task EndAfterDeadlineAsync()
    {
        await _writeLock!.WaitAsync();
        try
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
            GrpcServerLog.DeadlineExceeded(_settings.Logger, Method, _timeout);
            try
            {
                WriteStatus(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), null);
                await HttpContext.Response.CompleteAsync();
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or OperationCanceledException)
            {
                GrpcServerLog.StatusNotWritten(_settings.Logger, Method, error);
            }
            if (HttpContext.Features.Get<IHttpResetFeature>() is { } reset)
            {
                reset.Reset(GrpcProtocol.ResetStreamCancel);
            }
            else
            {
                HttpContext.Abort();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw _deadlineExceeded
                ? new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded")
                : new InvalidOperationException("The call has already ended.");
        }
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var (key, values) in HttpContext.Request.Headers)
        {
            if (key.StartsWith(':') || ProtocolHeaders.Contains(key))
            {
                continue;
            }
            foreach (var value in values)
            {
                metadata.AddReceived(key.ToLowerInvariant(), value ?? "");
            }
        }
        return metadata;
    }

    internal static string FormatPeer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6 } when address.IsIPv4MappedToIPv6 => $"ipv4:{address.MapToIPv4()}:{port}",
        { AddressFamily: AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };

    /// <summary>One message as a list, so single and batched writes share one path.</summary>
    private readonly struct SingleMessage(IMessage message) : IReadOnlyList<IMessage>
    {
        public int Count => 1;

        public IMessage this[int index] => index == 0 ? message : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<IMessage> GetEnumerator()
        {
            yield return message;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
