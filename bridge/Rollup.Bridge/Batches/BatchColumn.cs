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
    /// <summary>Present only in a batch with a Bulk (so batches without one are as they always were).</summary>
    BulkItemCounts,
}

internal static class BatchColumns
{
    /// <summary>The columns every payload has.</summary>
    public const int Always = (int)BatchColumn.MarketRoots + 1;

    /// <summary>Every column, the bulk column included.</summary>
    public const int Count = (int)BatchColumn.BulkItemCounts + 1;
}
