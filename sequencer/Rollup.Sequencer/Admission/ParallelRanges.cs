using System.Collections.Concurrent;

namespace Rollup.Sequencer.Admission;

/// <summary>
/// Runs a CPU-bound body over [0, count) split into ranges on every core (the caller's thread takes part), or
/// inline when the work is too small to be worth handing out. Used for signature recovery and ack signing,
/// each tens of microseconds per item, so a range of a few items already pays for the hand-off.
/// </summary>
internal static class ParallelRanges
{
    /// <summary>Items below which one thread does it all: a hand-off costs a few microseconds, one item tens.</summary>
    public const int MinPerRange = 16;

    public static void For<TState>(int count, TState state, Action<TState, int, int> body)
    {
        var cores = Environment.ProcessorCount;
        if (cores == 1 || count < 2 * MinPerRange)
        {
            body(state, 0, count);
            return;
        }
        // About two ranges per core, so a core held up by something else does not hold up the whole batch.
        var size = Math.Max(MinPerRange, (count + 2 * cores - 1) / (2 * cores));
        Parallel.ForEach(Partitioner.Create(0, count, size), range => body(state, range.Item1, range.Item2));
    }
}
