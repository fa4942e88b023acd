using System.Text.Json;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>An event log as returned by eth_getLogs or in a receipt. <see cref="Removed"/> is true when a reorg dropped it.</summary>
public sealed record L1Log(
    Address Address,
    IReadOnlyList<Hash256> Topics,
    ReadOnlyMemory<byte> Data,
    ulong BlockNumber,
    Hash256 BlockHash,
    Hash256 TransactionHash,
    ulong TransactionIndex,
    ulong LogIndex,
    bool Removed)
{
    internal static L1Log FromJson(string method, JsonElement json) => new(
        RpcJson.Address(method, json, "address"),
        RpcJson.Array(method, json, "topics").EnumerateArray()
            .Select(t => RpcJson.ParseHash(method, "topics", t.ValueKind == JsonValueKind.String ? t.GetString() : null))
            .ToArray(),
        RpcJson.Bytes(method, json, "data"),
        RpcJson.Quantity(method, json, "blockNumber"),
        RpcJson.Hash(method, json, "blockHash"),
        RpcJson.Hash(method, json, "transactionHash"),
        RpcJson.Quantity(method, json, "transactionIndex"),
        RpcJson.Quantity(method, json, "logIndex"),
        json.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True);
}
