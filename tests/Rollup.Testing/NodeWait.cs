using System.Diagnostics;

namespace Rollup.Testing;

/// <summary>Polling a node process (its metrics, its API, L1 beside it) for a condition, with the node's output on failure.</summary>
public static class NodeWait
{
    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds; fails after <paramref name="within"/> (120 s) naming <paramref name="what"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, NodeProcess node, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(node);
        var limit = within ?? TimeSpan.FromSeconds(120);
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= limit)
            {
                throw new TimeoutException($"not within {limit.TotalSeconds:0} s: {what}\n{node.Output}");
            }
            await Task.Delay(200); // polling the node and L1
        }
    }
}
