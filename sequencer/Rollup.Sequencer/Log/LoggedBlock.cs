namespace Rollup.Sequencer.Log;

/// <summary>A block as the log fixes it before execution: its number, its time and its range of sequence numbers.</summary>
public readonly record struct LoggedBlock(ulong Number, ulong Timestamp, ulong FirstSequence, ulong EndSequence)
{
    public int Count => (int)(EndSequence - FirstSequence);
}
