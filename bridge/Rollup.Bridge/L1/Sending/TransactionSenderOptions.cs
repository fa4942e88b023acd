namespace Rollup.Bridge.L1;

/// <summary>How a <see cref="TransactionSender"/> waits and pads its estimates.</summary>
public sealed record TransactionSenderOptions
{
    /// <summary>Between two eth_getTransactionReceipt polls. Default 100 ms.</summary>
    public TimeSpan ReceiptPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long to wait for a receipt before giving up with a <see cref="TimeoutException"/>. Default 2 minutes.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Added to eth_estimateGas, since state can change between the estimate and inclusion. Default 20 (%).</summary>
    public int GasLimitMarginPercent { get; init; } = 20;
}
