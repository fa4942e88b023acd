namespace Rollup.Bridge.L1;

/// <summary>Input that is not the RLP (or the shape of it) that was expected.</summary>
public sealed class RlpException : FormatException
{
    public RlpException(string message)
        : base(message)
    {
    }

    public RlpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RlpException()
    {
    }
}
