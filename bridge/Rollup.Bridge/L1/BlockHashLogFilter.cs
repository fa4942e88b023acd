using Newtonsoft.Json;

namespace Rollup.Bridge.L1;

/// <summary>The eth_getLogs filter object for logs of one block by hash (EIP-234), as Nethereum's serializer writes it.</summary>
internal sealed record BlockHashLogFilter(
    [property: JsonProperty("blockHash")] string BlockHash,
    [property: JsonProperty("address")] string[] Address,
    [property: JsonProperty("topics")] string[] Topics);
