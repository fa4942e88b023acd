namespace Rollup.Bridge.Settlement;

/// <summary>
/// A transaction was sent at a nonce above what L1 now counts for the account (a reorg dropped earlier ones), so it cannot be
/// mined: the caller re-reads L1 and sends what is still needed from the account's count.
/// </summary>
public sealed class L1NonceGapException : Exception
{
    public L1NonceGapException(string message)
        : base(message)
    {
    }

    public L1NonceGapException()
    {
    }

    public L1NonceGapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
