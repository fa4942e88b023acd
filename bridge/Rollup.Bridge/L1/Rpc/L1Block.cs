using System.Numerics;
using System.Text.Json;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>The parts of an L1 block header the bridge uses, and the hashes of its transactions.</summary>
public sealed record L1Block(
    ulong Number,
    Hash256 Hash,
    Hash256 ParentHash,
    ulong Timestamp,
    BigInteger? BaseFeePerGas,
    IReadOnlyList<Hash256> TransactionHashes)
{
    internal static L1Block FromJson(string method, JsonElement json) => new(
        RpcJson.Quantity(method, json, "number"),
        RpcJson.Hash(method, json, "hash"),
        RpcJson.Hash(method, json, "parentHash"),
        RpcJson.Quantity(method, json, "timestamp"),
        RpcJson.OptionalBigQuantity(method, json, "baseFeePerGas"),
        RpcJson.Array(method, json, "transactions").EnumerateArray()
            .Select(t => RpcJson.ParseHash(method, "transactions", t.ValueKind == JsonValueKind.String ? t.GetString() : null))
            .ToArray());
}
