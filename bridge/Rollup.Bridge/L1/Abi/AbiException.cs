namespace Rollup.Bridge.L1;

/// <summary>A signature that does not parse, a value that does not fit its type, or data that is not a valid encoding.</summary>
public sealed class AbiException : Exception
{
    public AbiException(string message)
        : base(message)
    {
    }

    public AbiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AbiException()
    {
    }
}
