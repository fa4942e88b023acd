namespace Rollup.Execution.Chain;

/// <summary>Ends a block subscription whose reader fell too far behind.</summary>
public sealed class SubscriberTooSlowException : Exception
{
    public SubscriberTooSlowException()
        : base("the subscriber fell too far behind the chain and was dropped; resubscribe")
    {
    }

    public SubscriberTooSlowException(string message)
        : base(message)
    {
    }

    public SubscriberTooSlowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
