namespace Rollup.Bridge.Batches;

/// <summary>The sections of a columnar payload, in the order they appear (docs/batches.md).</summary>
internal enum BatchColumn
{
    Blocks,
    Kinds,
    AccountTable,
    AccountRefs,
    Markets,
    Nonces,
    Flags,
    Prices,
    Sizes,
    Amounts,
    ClientOrderIds,
    OrderIds,
    DepositIndexes,
    OracleTimestamps,
    Params,
    Signatures,
    SignatureV,
    MarketRoots,
}

internal static class BatchColumns
{
    public const int Count = (int)BatchColumn.MarketRoots + 1;
}
