using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>The receipt of a mined transaction: Nethereum's <see cref="TransactionReceipt"/> in the bridge's types.</summary>
public sealed record L1Receipt(
    Hash256 TransactionHash,
    bool Succeeded,
    ulong BlockNumber,
    Hash256 BlockHash,
    Address From,
    Address? To,
    ulong GasUsed,
    BigInteger EffectiveGasPrice,
    Address? ContractAddress,
    IReadOnlyList<FilterLog> Logs)
{
    /// <summary>Throws <see cref="L1TransactionFailedException"/> when the transaction failed (status 0).</summary>
    public L1Receipt EnsureSucceeded() => Succeeded ? this : throw new L1TransactionFailedException(this);

    public static L1Receipt FromNethereum(TransactionReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return new L1Receipt(
            Hash256.Parse(receipt.TransactionHash),
            receipt.Status.Value == 1,
            (ulong)receipt.BlockNumber.Value,
            Hash256.Parse(receipt.BlockHash),
            Address.Parse(receipt.From),
            string.IsNullOrEmpty(receipt.To) ? null : Address.Parse(receipt.To),
            (ulong)receipt.GasUsed.Value,
            receipt.EffectiveGasPrice?.Value ?? BigInteger.Zero,
            string.IsNullOrEmpty(receipt.ContractAddress) ? null : Address.Parse(receipt.ContractAddress),
            receipt.Logs ?? []);
    }
}
