using System.Threading.Channels;

namespace Rollup.Sequencer;

/// <summary>For the loops that own a thread (log writer, ack signer): wait on a channel by blocking that thread.</summary>
internal static class BlockingChannel
{
    /// <summary>Blocks until an item is queued; false once the channel is completed and empty.</summary>
    public static bool WaitToRead<T>(ChannelReader<T> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }
}
