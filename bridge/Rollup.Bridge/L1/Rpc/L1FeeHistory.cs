using System.Numerics;
using System.Text.Json;

namespace Rollup.Bridge.L1;

/// <summary>
/// eth_feeHistory: for the blocks from <see cref="OldestBlock"/>, their base fees (plus one more entry: the
/// base fee of the block after the newest), how full they were, and the tips paid at the requested percentiles.
/// </summary>
public sealed record L1FeeHistory(
    ulong OldestBlock,
    IReadOnlyList<BigInteger> BaseFeePerGas,
    IReadOnlyList<double> GasUsedRatio,
    IReadOnlyList<IReadOnlyList<BigInteger>> Reward)
{
    /// <summary>The base fee of the next block (the last entry).</summary>
    public BigInteger NextBaseFeePerGas => BaseFeePerGas[^1];

    internal static L1FeeHistory FromJson(string method, JsonElement json)
    {
        var baseFees = RpcJson.Array(method, json, "baseFeePerGas").EnumerateArray()
            .Select(f => RpcJson.ParseBigQuantity(method, "baseFeePerGas", f.ValueKind == JsonValueKind.String ? f.GetString() : null))
            .ToArray();
        if (baseFees.Length == 0)
        {
            throw RpcJson.Malformed(method, "baseFeePerGas", "[]", "expected at least one base fee");
        }
        var ratios = RpcJson.Array(method, json, "gasUsedRatio").EnumerateArray()
            .Select(r => r.ValueKind == JsonValueKind.Number ? r.GetDouble() : throw RpcJson.Malformed(method, "gasUsedRatio", r.GetRawText(), "expected a number"))
            .ToArray();
        IReadOnlyList<IReadOnlyList<BigInteger>> rewards = json.TryGetProperty("reward", out var reward) && reward.ValueKind == JsonValueKind.Array
            ? reward.EnumerateArray()
                .Select(block => (IReadOnlyList<BigInteger>)block.EnumerateArray()
                    .Select(r => RpcJson.ParseBigQuantity(method, "reward", r.ValueKind == JsonValueKind.String ? r.GetString() : null))
                    .ToArray())
                .ToArray()
            : [];
        return new L1FeeHistory(RpcJson.Quantity(method, json, "oldestBlock"), baseFees, ratios, rewards);
    }
}
