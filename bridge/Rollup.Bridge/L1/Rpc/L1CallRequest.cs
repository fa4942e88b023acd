using System.Numerics;
using System.Text.Json.Nodes;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>The transaction-like object of eth_call and eth_estimateGas.</summary>
public sealed record L1CallRequest
{
    public Address? From { get; init; }

    /// <summary>The contract called; null for a contract creation (then <see cref="Data"/> is the init code).</summary>
    public Address? To { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }

    public BigInteger? Value { get; init; }

    public ulong? Gas { get; init; }

    internal JsonObject ToJson()
    {
        var json = new JsonObject();
        if (From is { } from)
        {
            json["from"] = from.ToString();
        }
        if (To is { } to)
        {
            json["to"] = to.ToString();
        }
        json["data"] = RpcJson.Data(Data.Span);
        if (Value is { } value)
        {
            json["value"] = RpcJson.Quantity(value);
        }
        if (Gas is { } gas)
        {
            json["gas"] = RpcJson.Quantity(gas);
        }
        return json;
    }
}
