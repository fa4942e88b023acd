using System.Diagnostics;

namespace Rollup.Execution.Blocks;

/// <summary>
/// Wall time of the last block's phases (diagnostics for the engine benchmark; nothing reads it on the data
/// path): signatures, A, B, C, and inside C the write batch's commit to RocksDB. Stopwatch ticks.
/// </summary>
internal readonly record struct BlockPhaseTimes(long Signatures, long AccountPhase, long MarketPhase, long Commit, long BatchCommit)
{
    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
