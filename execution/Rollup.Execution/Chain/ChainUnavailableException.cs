namespace Rollup.Execution.Chain;

/// <summary>The chain cannot be read or followed: its engine failed and the node must restart to recover. Answered as UNAVAILABLE.</summary>
public sealed class ChainUnavailableException : InvalidOperationException
{
    public ChainUnavailableException()
    {
    }

    public ChainUnavailableException(string message)
        : base(message)
    {
    }

    public ChainUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
