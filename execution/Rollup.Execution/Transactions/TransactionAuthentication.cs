using Rollup.Primitives.Eip712;

namespace Rollup.Execution.Transactions;

// Temporary until the transactions work lands TransactionSigning: signatures are not yet checked.
internal static class TransactionAuthentication
{
    public static bool IsSignedByAccount(in Transaction tx, Eip712Domain domain)
    {
        _ = domain;
        return !tx.Signature.IsEmpty;
    }
}
