using Microsoft.Extensions.Logging;

namespace Rollup.Grpc;

internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Request content-type '{ContentType}' is not gRPC: 415")]
    public static partial void UnsupportedContentType(ILogger logger, string? contentType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Request protocol '{Protocol}' is not HTTP/2: 426")]
    public static partial void UnsupportedProtocol(ILogger logger, string protocol);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Ignoring invalid grpc-timeout '{Value}' on {Method}")]
    public static partial void InvalidTimeout(ILogger logger, string value, string method);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{Method} exceeded its deadline of {Timeout}")]
    public static partial void DeadlineExceeded(ILogger logger, string method, TimeSpan timeout);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Method} was canceled by the client")]
    public static partial void CallCanceled(ILogger logger, string method);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "{Method} ended with {StatusCode}: {Detail}")]
    public static partial void RpcError(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "{Method} failed: the handler threw")]
    public static partial void HandlerError(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "No gRPC method at {Path}")]
    public static partial void Unimplemented(ILogger logger, string path);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "{Method}: could not write the status, the stream is gone")]
    public static partial void StatusNotWritten(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{Method}: the handler ended after the deadline had already ended the call")]
    public static partial void HandlerEndedAfterDeadline(ILogger logger, string method);
}
