namespace Rollup.Primitives.Signatures;

/// <summary>A signature or key that cannot be used, with the reason.</summary>
public sealed class SignatureException : Exception
{
    public SignatureException(SignatureError error, string message)
        : base(message)
    {
        Error = error;
    }

    public SignatureException()
    {
    }

    public SignatureException(string message)
        : base(message)
    {
    }

    public SignatureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SignatureError Error { get; }
}
