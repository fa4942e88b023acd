using Grpc.Core;

namespace Rollup.Sequencer.Api;

public static class StreamWriterExtensions
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    /// <summary>
    /// Writes several messages in order and flushes once, after the last: all but the last are written with
    /// <see cref="WriteFlags.BufferHint"/>, so they coalesce into one send (a few HTTP/2 DATA frames) instead of
    /// one flush per message. The stream's own write options are restored for the last message. grpc-dotnet's server
    /// honours the flag (the submission stream's responses); Grpc.Net.Client 2.85 flushes each request message
    /// regardless, unless its channel sends through a <see cref="CoalescingRequestHandler"/>.
    /// </summary>
    public static async Task WriteManyAsync<T>(this IAsyncStreamWriter<T> stream, IReadOnlyList<T> messages)
    {
        if (messages.Count <= 1)
        {
            if (messages.Count == 1)
            {
                await stream.WriteAsync(messages[0]).ConfigureAwait(false);
            }
            return;
        }
        var own = stream.WriteOptions;
        stream.WriteOptions = Buffered;
        CoalescingRequestHandler.Hold(true);
        try
        {
            for (var i = 0; i < messages.Count - 1; i++)
            {
                await stream.WriteAsync(messages[i]).ConfigureAwait(false);
            }
        }
        finally
        {
            stream.WriteOptions = own;
            CoalescingRequestHandler.Hold(false);
        }
        await stream.WriteAsync(messages[^1]).ConfigureAwait(false);
    }
}
