namespace Rollup.Fuzz;

/// <summary>What one input did: refused with a clear error, or taken as valid.</summary>
public enum FuzzOutcome
{
    Rejected,
    Accepted,
}

/// <summary>
/// One decoder that faces the outside, with valid inputs to start from. <see cref="Run"/> returns what the input did;
/// it throws <see cref="FuzzFindingException"/> when a rule is broken (state changed by a refused input, a round trip
/// that differs), and any other exception out of it is a finding too: the decoder let something undocumented escape.
/// </summary>
public abstract class FuzzTarget : IDisposable
{
    public abstract string Name { get; }

    /// <summary>Valid inputs the mutations start from (the afl corpus too).</summary>
    public abstract IReadOnlyList<byte[]> Seeds { get; }

    public abstract FuzzOutcome Run(ReadOnlySpan<byte> input);

    /// <summary>Invariants checked once at the end of a run (state, liveness).</summary>
    public virtual void CheckAfterRun()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>A rule the target holds broke on an input.</summary>
public sealed class FuzzFindingException(string message) : Exception(message)
{
    public FuzzFindingException()
        : this("fuzz finding")
    {
    }

    public FuzzFindingException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}
