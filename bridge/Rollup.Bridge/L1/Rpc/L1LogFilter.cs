using System.Text.Json.Nodes;
using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>
/// The filter of eth_getLogs: logs of any of <see cref="Addresses"/> (all when empty) whose topics match
/// <see cref="Topics"/> position by position (null or an empty list at a position matches anything; several
/// hashes at one position match any of them), in the blocks FromBlock..ToBlock or in the one block <see cref="BlockHash"/>.
/// </summary>
public sealed record L1LogFilter
{
    public IReadOnlyList<Address> Addresses { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<Hash256>?> Topics { get; init; } = [];

    public BlockTag? FromBlock { get; init; }

    public BlockTag? ToBlock { get; init; }

    /// <summary>One block by hash; excludes FromBlock and ToBlock (EIP-234).</summary>
    public Hash256? BlockHash { get; init; }

    internal JsonObject ToJson()
    {
        if (BlockHash is not null && (FromBlock is not null || ToBlock is not null))
        {
            throw new ArgumentException("a log filter names either a block hash or a block range, not both");
        }
        var json = new JsonObject();
        if (Addresses.Count > 0)
        {
            json["address"] = new JsonArray(Addresses.Select(a => (JsonNode)a.ToString()).ToArray());
        }
        if (Topics.Count > 0)
        {
            json["topics"] = new JsonArray(Topics.Select(position => position is null || position.Count == 0
                ? null
                : (JsonNode)new JsonArray(position.Select(t => (JsonNode)t.ToString()).ToArray())).ToArray());
        }
        if (FromBlock is { } from)
        {
            json["fromBlock"] = from.Value;
        }
        if (ToBlock is { } to)
        {
            json["toBlock"] = to.Value;
        }
        if (BlockHash is { } hash)
        {
            json["blockHash"] = hash.ToString();
        }
        return json;
    }
}
