namespace Rollup.Bridge.Batches;

/// <summary>Batch bytes that break docs/batches.md: what is wrong, in words a validator's log can show.</summary>
public sealed class BatchFormatException : Exception
{
    public BatchFormatException(string message)
        : base(message)
    {
    }

    public BatchFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public BatchFormatException()
    {
    }
}
