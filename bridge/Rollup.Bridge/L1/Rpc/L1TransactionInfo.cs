using System.Numerics;
using System.Text.Json;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>A transaction as eth_getTransactionByHash returns it; the block fields are null while it is pending.</summary>
public sealed record L1TransactionInfo(
    Hash256 Hash,
    Address From,
    Address? To,
    ulong Nonce,
    ReadOnlyMemory<byte> Input,
    BigInteger Value,
    ulong GasLimit,
    ulong? Type,
    ulong? BlockNumber,
    Hash256? BlockHash,
    ulong? TransactionIndex)
{
    internal static L1TransactionInfo FromJson(string method, JsonElement json) => new(
        RpcJson.Hash(method, json, "hash"),
        RpcJson.Address(method, json, "from"),
        RpcJson.OptionalAddress(method, json, "to"),
        RpcJson.Quantity(method, json, "nonce"),
        RpcJson.Bytes(method, json, "input"),
        RpcJson.BigQuantity(method, json, "value"),
        RpcJson.Quantity(method, json, "gas"),
        RpcJson.OptionalQuantity(method, json, "type"),
        RpcJson.OptionalQuantity(method, json, "blockNumber"),
        RpcJson.OptionalHash(method, json, "blockHash"),
        RpcJson.OptionalQuantity(method, json, "transactionIndex"));
}
