namespace Rollup.Storage;

/// <summary>
/// A RocksDB operation failed. <see cref="Exception.Message"/> names the operation and carries RocksDB's own
/// status text (for example <c>IO error: While lock file: .../LOCK: Resource temporarily unavailable</c>),
/// which is also in <see cref="NativeMessage"/>. Not-found is never an exception.
/// </summary>
public sealed class RocksDbException : Exception
{
    public RocksDbException()
    {
    }

    public RocksDbException(string message)
        : base(message)
    {
        NativeMessage = message;
    }

    public RocksDbException(string message, Exception innerException)
        : base(message, innerException)
    {
        NativeMessage = message;
    }

    internal RocksDbException(string operation, string nativeMessage)
        : base($"RocksDB {operation} failed: {nativeMessage}")
    {
        NativeMessage = nativeMessage;
    }

    /// <summary>RocksDB's status text, unchanged.</summary>
    public string NativeMessage { get; } = string.Empty;
}
