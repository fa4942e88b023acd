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

    /// <summary>
    /// The receipt as the L1 node answered it; <see cref="L1ProtocolException"/> when a field the bridge reads is
    /// missing or malformed (a hash or an address that does not parse, a number out of range), never another exception.
    /// </summary>
    public static L1Receipt FromNethereum(TransactionReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        try
        {
            return Convert(receipt);
        }
        catch (FormatException error)
        {
            // Nethereum parses a quantity's hex only when its value is read.
            throw Malformed($"a number is not hex: {error.Message}");
        }
    }

    private static L1Receipt Convert(TransactionReceipt receipt)
    {
        if (!Hash256.TryParse(receipt.TransactionHash, out var hash) || !Hash256.TryParse(receipt.BlockHash, out var blockHash)
            || receipt.Status is null || receipt.BlockNumber is null || receipt.GasUsed is null || !Address.TryParse(receipt.From, out var from))
        {
            throw Malformed("its transaction hash, block hash, block number, status, gas used or sender is missing or malformed");
        }
        if (receipt.BlockNumber.Value > ulong.MaxValue || receipt.GasUsed.Value > ulong.MaxValue || receipt.BlockNumber.Value < 0 || receipt.GasUsed.Value < 0)
        {
            throw Malformed("its block number or gas used is out of range");
        }
        return new L1Receipt(
            hash,
            receipt.Status.Value == 1,
            (ulong)receipt.BlockNumber.Value,
            blockHash,
            from,
            OptionalAddress(receipt.To, "recipient"),
            (ulong)receipt.GasUsed.Value,
            receipt.EffectiveGasPrice?.Value ?? BigInteger.Zero,
            OptionalAddress(receipt.ContractAddress, "contract address"),
            receipt.Logs ?? []);
    }

    private static Address? OptionalAddress(string? text, string what) =>
        string.IsNullOrEmpty(text) ? null : Address.TryParse(text, out var address) ? address : throw Malformed($"its {what} '{text}' is not an address");

    private static L1ProtocolException Malformed(string what) => new($"a transaction receipt the L1 node answered: {what}") { Method = "eth_getTransactionReceipt" };
}
