using System.Runtime.CompilerServices;

namespace Rollup.Grpc;

/// <summary>A stream of incoming messages: the requests of a client- or duplex-streaming call on the server, the responses of a streaming call on the client.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNextAsync"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message: false at the end of the stream. Not to be called concurrently.</summary>
    ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default);
}

/// <summary>The server's outgoing stream of responses. One write at a time.</summary>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}

/// <summary>The client's outgoing stream of requests. One write at a time; <see cref="CompleteAsync"/> ends the stream.</summary>
public interface IClientStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    Task CompleteAsync();
}

public static class AsyncStreamReaderExtensions
{
    /// <summary>The remaining messages as an <see cref="IAsyncEnumerable{T}"/>, for <c>await foreach</c>.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(this IAsyncStreamReader<T> reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await reader.MoveNextAsync(cancellationToken))
        {
            yield return reader.Current;
        }
    }
}
