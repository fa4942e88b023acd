using System.Text.Json;
using System.Text.Json.Nodes;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.L1;

/// <summary>Our encoder and decoder against ethers' AbiCoder, on random types and values (one node run for all cases).</summary>
public class AbiEthersTests
{
    private const int Cases = 400;

    [Fact]
    public void EncodeAndDecode_RandomTypesAndValues_AgreeWithEthers()
    {
        var generator = new AbiCaseGenerator(seed: 712);
        var cases = new List<(AbiType[] Types, object?[] Values, byte[] Encoded)>();
        for (var i = 0; i < Cases; i++)
        {
            var types = Enumerable.Range(0, 1 + (i % 4)).Select(_ => generator.Type()).ToArray();
            var values = types.Select(generator.Value).ToArray();
            cases.Add((types, values, AbiEncoder.Encode(types, values)));
        }

        var answer = L1Oracle.Ask(new JsonObject
        {
            ["op"] = "abi",
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["types"] = new JsonArray(c.Types.Select(t => (JsonNode)t.CanonicalName).ToArray()),
                ["values"] = AbiCaseGenerator.ToJson(c.Values),
                ["ours"] = Hex.ToHex(c.Encoded),
            }).ToArray()),
        });

        var results = answer.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(Cases, results.Length);
        for (var i = 0; i < Cases; i++)
        {
            var (types, values, encoded) = cases[i];
            var expectedJson = Normalize(AbiCaseGenerator.ToJson(values));
            var label = $"case {i}: ({string.Join(',', types.Select(t => t.CanonicalName))}) = {expectedJson}";

            // The same bytes as ethers.
            Assert.True(results[i].GetProperty("encoded").GetString() == Hex.ToHex(encoded), $"{label}: encodings differ");
            // ethers reads our encoding back as the values we encoded.
            Assert.True(Normalize(results[i].GetProperty("decoded")) == expectedJson, $"{label}: ethers decodes ours as {results[i].GetProperty("decoded")}");
            // We read ethers' encoding back as the values, in our decoded types (ulong/long up to 64 bits, Hash256 for bytes32).
            var decoded = AbiDecoder.Decode(types, Hex.Parse(results[i].GetProperty("encoded").GetString()!));
            Assert.True(Normalize(AbiCaseGenerator.ToJson(decoded)) == expectedJson, $"{label}: we decode ethers' encoding as {AbiCaseGenerator.ToJson(decoded)}");
        }
    }

    /// <summary>JSON text with byte strings in lower case (checksummed addresses and hex compare by value) and one escaping of strings.</summary>
    private static string Normalize(JsonNode? node) => Normalize(JsonSerializer.SerializeToElement(node));

    private static string Normalize(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Normalize)) + "]",
        JsonValueKind.String when element.GetString()!.StartsWith("0x", StringComparison.Ordinal) => JsonSerializer.Serialize(element.GetString()!.ToLowerInvariant()),
        JsonValueKind.String => JsonSerializer.Serialize(element.GetString()),
        _ => element.GetRawText(),
    };
}
