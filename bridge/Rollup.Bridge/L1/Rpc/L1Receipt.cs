using System.Numerics;
using System.Text.Json;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>The receipt of a mined transaction.</summary>
public sealed record L1Receipt(
    Hash256 TransactionHash,
    bool Succeeded,
    ulong BlockNumber,
    Hash256 BlockHash,
    ulong TransactionIndex,
    Address From,
    Address? To,
    ulong GasUsed,
    BigInteger EffectiveGasPrice,
    Address? ContractAddress,
    IReadOnlyList<L1Log> Logs)
{
    /// <summary>Throws <see cref="L1TransactionFailedException"/> when the transaction failed (status 0).</summary>
    public L1Receipt EnsureSucceeded() => Succeeded ? this : throw new L1TransactionFailedException(this);

    internal static L1Receipt FromJson(string method, JsonElement json) => new(
        RpcJson.Hash(method, json, "transactionHash"),
        RpcJson.Quantity(method, json, "status") switch
        {
            1 => true,
            0 => false,
            var status => throw RpcJson.Malformed(method, "status", RpcJson.Quantity(status), "expected 0x0 or 0x1"),
        },
        RpcJson.Quantity(method, json, "blockNumber"),
        RpcJson.Hash(method, json, "blockHash"),
        RpcJson.Quantity(method, json, "transactionIndex"),
        RpcJson.Address(method, json, "from"),
        RpcJson.OptionalAddress(method, json, "to"),
        RpcJson.Quantity(method, json, "gasUsed"),
        RpcJson.BigQuantity(method, json, "effectiveGasPrice"),
        RpcJson.OptionalAddress(method, json, "contractAddress"),
        RpcJson.Array(method, json, "logs").EnumerateArray().Select(log => L1Log.FromJson(method, log)).ToArray());
}
