namespace Rollup.Grpc;

/// <summary>
/// A call that ended with a non-OK status. Server handlers throw it to choose the status the caller
/// sees; the client throws it for every failed call, whatever the cause (status from the server,
/// deadline, cancellation, a broken connection).
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(Status status)
        : this(status, null, null)
    {
    }

    public RpcException(StatusCode statusCode, string detail)
        : this(new Status(statusCode, detail), null, null)
    {
    }

    public RpcException(Status status, Metadata? trailers, Exception? innerException = null)
        : base(status.ToString(), innerException)
    {
        Status = status;
        Trailers = trailers ?? new Metadata();
    }

    public RpcException()
        : this(new Status(StatusCode.Unknown, ""))
    {
    }

    public RpcException(string message)
        : this(new Status(StatusCode.Unknown, message))
    {
    }

    public RpcException(string message, Exception innerException)
        : this(new Status(StatusCode.Unknown, message), null, innerException)
    {
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;

    public string Detail => Status.Detail;

    /// <summary>Trailing metadata: sent after the status by a server handler, received with it by the client.</summary>
    public Metadata Trailers { get; }
}
