namespace Rollup.Bridge.Deposits;

/// <summary>
/// L1 reorganised past a deposit already credited on L2: the confirmation depth was too small for this chain.
/// The watcher stops; an operator must look (the L2 holds a deposit L1 no longer has).
/// </summary>
public sealed class DeepReorgException : Exception
{
    public DeepReorgException(string message)
        : base(message)
    {
    }

    public DeepReorgException()
    {
    }

    public DeepReorgException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
