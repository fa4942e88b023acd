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
    /// <summary>Writes one message and flushes it to the transport.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes several messages in order and flushes once: one HTTP/2 DATA frame (or a few) and one send
    /// for all of them instead of one per message. The default writes them one at a time.
    /// </summary>
    async Task WriteManyAsync(IReadOnlyList<T> messages, CancellationToken cancellationToken = default)
    {
        foreach (var message in messages)
        {
            await WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>The client's outgoing stream of requests. One write at a time; <see cref="CompleteAsync"/> ends the stream.</summary>
public interface IClientStreamWriter<in T>
{
    /// <summary>Writes one message and flushes it to the transport.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Writes several messages in order and flushes once. The default writes them one at a time.</summary>
    async Task WriteManyAsync(IReadOnlyList<T> messages, CancellationToken cancellationToken = default)
    {
        foreach (var message in messages)
        {
            await WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

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
