using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Rollup.Grpc;

/// <summary>
/// One call on the client, whatever its kind: sends the HTTP/2 request, reads response headers,
/// messages and trailers, enforces the deadline, and turns every failure into an
/// <see cref="RpcException"/> with the status the spec gives it.
/// </summary>
internal sealed class ClientCall<TRequest, TResponse> : IAsyncStreamReader<TResponse>, IClientStreamWriter<TRequest>, IClientCallState
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, minimumReadSize: 1024);

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    /// <summary>Cancels what is pending: on dispose, at the deadline, on failure. Null for a unary call with no deadline, where the caller's token is enough.</summary>
    private readonly CancellationTokenSource? _cts;
    private readonly CancellationToken _token;
    private readonly ITimer? _deadlineTimer;
    private readonly TimeSpan? _timeout;
    private readonly Lock _lock = new();
    private StreamingRequestContent? _requestContent;
    private Task<HttpResponseMessage>? _sendTask;
    private Task<bool>? _headersTask;
    private Task<Metadata>? _responseHeaders;
    private HttpResponseMessage? _response;
    private PipeReader? _pipe;
    private GrpcMessageReader? _reader;
    private TResponse? _current;
    private Status? _status;
    private Metadata? _trailers;
    private volatile bool _deadlineExceeded;
    private bool _disposed;
    private bool _requestCompleted;
    private bool _writing;

    public ClientCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        var hasDeadline = options.Deadline is { } limit && limit != DateTime.MaxValue;
        if (method.Type != MethodType.Unary || hasDeadline)
        {
            _cts = options.CancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken)
                : new CancellationTokenSource();
            _token = _cts.Token;
        }
        else
        {
            _token = options.CancellationToken;
        }
        if (hasDeadline && options.Deadline is { } deadline)
        {
            var utc = deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline;
            var remaining = utc - DateTime.UtcNow;
            _timeout = remaining;
            if (remaining <= TimeSpan.Zero)
            {
                _deadlineExceeded = true;
                _cts!.Cancel();
            }
            else if (remaining < TimeSpan.FromMilliseconds(uint.MaxValue - 1))
            {
                _deadlineTimer = TimeProvider.System.CreateTimer(static state => ((ClientCall<TRequest, TResponse>)state!).OnDeadline(), this, remaining, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public TResponse Current => _current ?? throw new InvalidOperationException("No message has been read.");

    public Task<Metadata> ResponseHeadersAsync => _responseHeaders ??= ReadResponseHeadersAsync();

    /// <summary>Starts a call whose single request is known now (unary, server streaming).</summary>
    public void Start(TRequest request)
    {
        byte[] frame;
        try
        {
            frame = GrpcMessageWriter.WriteToArray(request, _channel.Options.MaxSendMessageSize, _channel.RequestCompression);
        }
        catch
        {
            Dispose();
            throw;
        }
        _requestCompleted = true;
        Send(new UnaryRequestContent(frame));
    }

    /// <summary>Starts a call whose requests are written later (client and duplex streaming).</summary>
    public void StartStreaming()
    {
        _requestContent = new StreamingRequestContent();
        Send(_requestContent);
    }

    /// <summary>The single response of a unary or client-streaming call, after which the call is over.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        try
        {
            if (!await MoveNextAsync())
            {
                throw Violation("The server ended the call without a response message.");
            }
            var response = Current;
            if (await MoveNextAsync())
            {
                throw Violation("The server sent more than one response message for a method that returns one.");
            }
            return response;
        }
        finally
        {
            Dispose();
        }
    }

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        if (_status is { } finished)
        {
            return finished.StatusCode == StatusCode.OK ? false : throw new RpcException(finished, _trailers);
        }
        using var registration = cancellationToken.CanBeCanceled && _cts is not null ? cancellationToken.UnsafeRegister(CancelSafely, _cts) : default;
        if (!await _headersTask!)
        {
            return false;
        }
        TResponse? message;
        try
        {
            message = await _reader!.ReadMessageAsync(_method.ResponseParser, _token);
        }
        catch (Exception error)
        {
            var failure = Fail(error);
            CloseResponse();
            throw failure;
        }
        if (message is not null)
        {
            _current = message;
            return true;
        }
        var status = ReadStatus(_response!.TrailingHeaders, out var trailers);
        var end = Finish(status, trailers);
        CloseResponse();
        return end is null ? false : throw end;
    }

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default) => WriteManyAsync([message], cancellationToken);

    /// <summary>Writes the messages as consecutive frames with one write and one flush of the request stream.</summary>
    public async Task WriteManyAsync(IReadOnlyList<TRequest> messages, CancellationToken cancellationToken = default)
    {
        var content = _requestContent ?? throw new InvalidOperationException("This call has no request stream.");
        lock (_lock)
        {
            if (_requestCompleted)
            {
                throw new InvalidOperationException("The request stream has already been completed.");
            }
            if (_writing)
            {
                throw new InvalidOperationException("A write is already in progress: wait for it before writing again.");
            }
            _writing = true;
        }
        try
        {
            using var registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(CancelSafely, _cts) : default;
            var stream = await GetRequestStreamAsync(content);
            using var frame = new PooledBufferWriter(256);
            for (var i = 0; i < messages.Count; i++)
            {
                GrpcMessageWriter.Write(frame, messages[i], _channel.Options.MaxSendMessageSize, _channel.RequestCompression);
            }
            try
            {
                await stream.WriteAsync(frame.WrittenMemory, _token);
                await stream.FlushAsync(_token);
            }
            catch (Exception error)
            {
                if (_status is { StatusCode: StatusCode.OK })
                {
                    throw new InvalidOperationException("The call has already ended: the server sent its status before the request stream was complete.", error);
                }
                throw Fail(error);
            }
        }
        finally
        {
            lock (_lock)
            {
                _writing = false;
            }
        }
    }

    public Task CompleteAsync()
    {
        lock (_lock)
        {
            _requestCompleted = true;
        }
        _requestContent?.Complete();
        return Task.CompletedTask;
    }

    public Status GetStatus() => _status ?? throw new InvalidOperationException("The call is still in progress.");

    public Metadata GetTrailers() => _status is null ? throw new InvalidOperationException("The call is still in progress.") : _trailers ?? new Metadata();

    /// <summary>Ends the call: if it is still running, the stream is reset (CANCEL) and it ends as CANCELLED.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        Finish(new Status(StatusCode.Cancelled, "The call was disposed."), null);
        CloseResponse();
        _cts?.Dispose();
    }

    private void Send(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.GetUri(_method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        if (_timeout is { } timeout)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
        }
        if (_channel.Options.AcceptCompressedResponses)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        }
        if (_channel.RequestCompression is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcProtocol.Gzip);
        }
        headers.TryAddWithoutValidation("user-agent", GrpcChannel.UserAgent);
        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                headers.TryAddWithoutValidation(entry.Key, entry.Value);
            }
        }
        if (_token.IsCancellationRequested)
        {
            request.Dispose();
            var failure = Fail(new OperationCanceledException(_token));
            _sendTask = Task.FromException<HttpResponseMessage>(failure);
        }
        else
        {
            _sendTask = _channel.Invoker.SendAsync(request, _token);
        }
        _headersTask = ReceiveHeadersAsync();
    }

    /// <summary>Waits for the response headers. True when messages may follow; false for a Trailers-Only OK; throws for a failed call.</summary>
    private async Task<bool> ReceiveHeadersAsync()
    {
        try
        {
            return await ReceiveHeadersCoreAsync();
        }
        catch
        {
            CloseResponse();
            throw;
        }
    }

    private async Task<bool> ReceiveHeadersCoreAsync()
    {
        HttpResponseMessage response;
        try
        {
            response = await _sendTask!;
        }
        catch (Exception error)
        {
            throw Fail(error);
        }
        _response = response;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = response.Headers.Contains(GrpcProtocol.StatusTrailer)
                ? ReadStatus(response.Headers, out _)
                : new Status(StatusFromHttp(response.StatusCode), $"Bad gRPC response: HTTP status {(int)response.StatusCode}.");
            throw Finish(status, null)!;
        }
        if (response.Headers.Contains(GrpcProtocol.StatusTrailer))
        {
            // Trailers-Only: the call is already over.
            var status = ReadStatus(response.Headers, out var trailers);
            var failure = Finish(status, trailers);
            CloseResponse();
            return failure is null ? false : throw failure;
        }
        var contentType = response.Content.Headers.TryGetValues("Content-Type", out var types) ? types.FirstOrDefault() : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw Finish(new Status(StatusCode.Internal, $"Bad gRPC response: content-type '{contentType}'."), null)!;
        }
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(_token);
            var encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings) ? encodings.FirstOrDefault() : null;
            _pipe = PipeReader.Create(stream, ReaderOptions);
            _reader = new GrpcMessageReader(_pipe, _channel.Options.MaxReceiveMessageSize, encoding);
            return true;
        }
        catch (Exception error)
        {
            throw Fail(error);
        }
    }

    private async Task<Metadata> ReadResponseHeadersAsync()
    {
        try
        {
            await _headersTask!;
        }
        catch (RpcException) when (_response is not null)
        {
            // A failed call still had headers.
        }
        var metadata = new Metadata();
        if (_response is { } response)
        {
            foreach (var (key, values) in response.Headers)
            {
                if (!IsProtocolHeader(key))
                {
                    foreach (var value in values)
                    {
                        metadata.AddReceived(key, value);
                    }
                }
            }
        }
        return metadata;
    }

    private async Task<Stream> GetRequestStreamAsync(StreamingRequestContent content)
    {
        var streamTask = content.StreamTask;
        if (!streamTask.IsCompleted)
        {
            // The stream may never come if the call ends first (e.g. the server answers at once).
            await Task.WhenAny(streamTask, _headersTask!);
        }
        if (streamTask.IsCompletedSuccessfully)
        {
            return streamTask.Result;
        }
        if (_headersTask!.IsFaulted && _headersTask.Exception?.InnerException is RpcException headersFailure)
        {
            throw headersFailure;
        }
        if (_status is { } status)
        {
            throw status.StatusCode == StatusCode.OK
                ? new InvalidOperationException("The call has already ended.")
                : new RpcException(status, _trailers);
        }
        try
        {
            // Headers came (OK so far) before the body started: keep waiting for the stream.
            return await streamTask.WaitAsync(_token);
        }
        catch (Exception error)
        {
            throw Fail(error);
        }
    }

    private static void CancelSafely(object? state)
    {
        try
        {
            ((CancellationTokenSource)state!).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call already ended.
        }
    }

    private void OnDeadline()
    {
        _deadlineExceeded = true;
        try
        {
            _cts?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended at the same moment.
        }
    }

    /// <summary>Maps a failure to its status, ends the call, and returns the exception to throw.</summary>
    private RpcException Fail(Exception error)
    {
        if (error is RpcException rpc)
        {
            Finish(rpc.Status, rpc.Trailers);
            return rpc;
        }
        var status = _deadlineExceeded ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
            : _options.CancellationToken.IsCancellationRequested ? new Status(StatusCode.Cancelled, "Call canceled by the client.")
            : _disposed ? new Status(StatusCode.Cancelled, "The call was disposed.")
            : _status is { } known ? known
            : StatusFromException(error);
        Finish(status, null);
        return new RpcException(status, _trailers, error);
    }

    /// <summary>
    /// Records the final status (the first one wins), stops the deadline timer, ends the request body,
    /// and on failure cancels what is still pending (which resets the HTTP/2 stream). Returns the
    /// exception for a non-OK status. The response itself is closed by whoever reads it.
    /// </summary>
    private RpcException? Finish(Status status, Metadata? trailers)
    {
        lock (_lock)
        {
            if (_status is null)
            {
                _status = status;
                _trailers = trailers;
            }
        }
        _deadlineTimer?.Dispose();
        _requestContent?.Abort();
        var final = _status.Value;
        if (final.StatusCode == StatusCode.OK)
        {
            return null;
        }
        try
        {
            _cts?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed: nothing left to cancel.
        }
        return new RpcException(final, _trailers);
    }

    /// <summary>The server broke the protocol after an OK status: the call fails with INTERNAL instead.</summary>
    private RpcException Violation(string detail)
    {
        var status = new Status(StatusCode.Internal, detail);
        lock (_lock)
        {
            _status = status;
        }
        return new RpcException(status, _trailers);
    }

    /// <summary>Closes the response stream: a stream still open is reset (CANCEL).</summary>
    private void CloseResponse()
    {
        _pipe?.Complete();
        _response?.Dispose();
    }

    private static Status StatusFromException(Exception error)
    {
        for (var inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException protocol)
            {
                // PROTOCOL-HTTP2.md: RST_STREAM error codes to gRPC status.
                var code = protocol.ErrorCode switch
                {
                    0x7 => StatusCode.Unavailable,        // REFUSED_STREAM
                    0x8 => StatusCode.Cancelled,          // CANCEL
                    0xB => StatusCode.ResourceExhausted,  // ENHANCE_YOUR_CALM
                    0xC => StatusCode.PermissionDenied,   // INADEQUATE_SECURITY
                    _ => StatusCode.Internal,
                };
                return new Status(code, $"The HTTP/2 stream was reset: {protocol.Message}");
            }
        }
        return error switch
        {
            HttpRequestException => new Status(StatusCode.Unavailable, $"Error connecting to the server: {error.Message}"),
            IOException => new Status(StatusCode.Unavailable, $"Error reading from the server: {error.Message}"),
            OperationCanceledException => new Status(StatusCode.Cancelled, "The call was canceled."),
            _ => new Status(StatusCode.Internal, $"Error in the call: {error.GetType().Name}: {error.Message}"),
        };
    }

    /// <summary>The status of a response without gRPC status (doc/http-grpc-status-mapping.md).</summary>
    private static StatusCode StatusFromHttp(HttpStatusCode code) => code switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    private static Status ReadStatus(HttpHeaders headers, out Metadata trailers)
    {
        trailers = new Metadata();
        string? code = null;
        string? message = null;
        foreach (var (key, values) in headers)
        {
            if (key.Equals(GrpcProtocol.StatusTrailer, StringComparison.OrdinalIgnoreCase))
            {
                code = values.FirstOrDefault();
            }
            else if (key.Equals(GrpcProtocol.MessageTrailer, StringComparison.OrdinalIgnoreCase))
            {
                message = values.FirstOrDefault();
            }
            else if (!IsProtocolHeader(key))
            {
                foreach (var value in values)
                {
                    trailers.AddReceived(key, value);
                }
            }
        }
        if (code is null)
        {
            return new Status(StatusCode.Internal, "The response carried no grpc-status.");
        }
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return new Status(StatusCode.Internal, $"The response carried an invalid grpc-status '{code}'.");
        }
        return new Status((StatusCode)number, message is null ? "" : PercentEncoding.Decode(message));
    }

    private static bool IsProtocolHeader(string key) =>
        key.StartsWith(':') ||
        key.Equals("content-type", StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.EncodingHeader, StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.StatusTrailer, StringComparison.OrdinalIgnoreCase) ||
        key.Equals(GrpcProtocol.MessageTrailer, StringComparison.OrdinalIgnoreCase);
}
