using System.Numerics;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>What to send; the fields left null are filled in by the <see cref="TransactionSender"/> from the node.</summary>
public sealed record L1TransactionRequest
{
    /// <summary>The recipient; null creates a contract with <see cref="Data"/> as its init code.</summary>
    public Address? To { get; init; }

    public BigInteger Value { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Null: the pending nonce of the sender (eth_getTransactionCount "pending").</summary>
    public ulong? Nonce { get; init; }

    /// <summary>Null: eth_estimateGas plus <see cref="TransactionSenderOptions.GasLimitMarginPercent"/>.</summary>
    public ulong? GasLimit { get; init; }

    /// <summary>Null: see <see cref="TransactionSender.EstimateFeesAsync"/>.</summary>
    public BigInteger? MaxFeePerGas { get; init; }

    public BigInteger? MaxPriorityFeePerGas { get; init; }
}
