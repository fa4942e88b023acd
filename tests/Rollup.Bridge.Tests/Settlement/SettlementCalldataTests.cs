using System.Text.Json.Nodes;
using Rollup.Bridge.Settlement;
using Rollup.Bridge.Tests.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.Settlement;

/// <summary>
/// The calldata the bridge sends (artifact ABI, Nethereum's encoder, tuples as object[]) against ethers encoding the
/// same values for the signatures of docs/contract.md, written out here by hand.
/// </summary>
public class SettlementCalldataTests
{
    private static readonly byte[] RootA = Hex.Parse("0x" + new string('a', 64));
    private static readonly byte[] RootB = Hex.Parse("0x" + new string('b', 64));
    /// Seventeen words, each its index in every byte: an accounts end whose words a mix-up would show.
    private static readonly byte[] EndWords = [.. Enumerable.Range(0, 17 * 32).Select(i => (byte)(i / 32 + 1))];

    [Fact]
    public void Calls_with_tuples_and_arrays_encode_as_ethers_encodes_them()
    {
        var account = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        (string Signature, byte[] Ours, JsonArray Values)[] cases =
        [
            ("commitBatch((uint64,uint64,uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,bytes32,bytes32,bytes32),(uint8,uint32,bytes32,bytes32,uint64)[])",
                ContractArtifact.Settlement.EncodeCall("commitBatch", new object[] { 3UL, 10UL, 19UL, RootA, RootB, RootA, RootB, RootA, 7UL, 1234UL, 56UL, RootB, RootA, RootB },
                    new List<object[]> { new object[] { (byte)0, 0u, RootA, RootB, 77UL }, new object[] { (byte)1, 7u, RootB, RootA, 88UL } }),
                [new JsonArray("3", "10", "19", Hex.ToHex(RootA), Hex.ToHex(RootB), Hex.ToHex(RootA), Hex.ToHex(RootB), Hex.ToHex(RootA), "7", "1234", "56", Hex.ToHex(RootB), Hex.ToHex(RootA), Hex.ToHex(RootB)),
                    new JsonArray(new JsonArray("0", "0", Hex.ToHex(RootA), Hex.ToHex(RootB), "77"), new JsonArray("1", "7", Hex.ToHex(RootB), Hex.ToHex(RootA), "88"))]),
            ("transactionIncluded(uint64,uint64,bytes32,bytes32[])",
                ContractArtifact.Settlement.EncodeCall("transactionIncluded", 2UL, 1300UL, RootA, new List<byte[]> { RootB, RootA }),
                ["2", "1300", Hex.ToHex(RootA), new JsonArray(Hex.ToHex(RootB), Hex.ToHex(RootA))]),
            ("blockIncluded(uint64,uint64,uint64,uint64,uint32,bytes32[])",
                ContractArtifact.Settlement.EncodeCall("blockIncluded", 2UL, 41UL, 1_700_000_000_250UL, 1300UL, 7u, new List<byte[]> { RootA }),
                ["2", "41", "1700000000250", "1300", "7", new JsonArray(Hex.ToHex(RootA))]),
            ("claimIncluded(uint64,uint8,uint32,bytes32,bytes32,uint64,bytes32[])",
                ContractArtifact.Settlement.EncodeCall("claimIncluded", 2UL, (byte)1, 7u, RootA, RootB, 123_456UL, new List<byte[]> { RootB, RootA }),
                ["2", "1", "7", Hex.ToHex(RootA), Hex.ToHex(RootB), "123456", new JsonArray(Hex.ToHex(RootB), Hex.ToHex(RootA))]),
            ("postBatchData(uint64,uint32,bytes)",
                ContractArtifact.Settlement.EncodeCall("postBatchData", ulong.MaxValue, 2u, new byte[] { 1, 2, 3 }),
                [ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), "2", "0x010203"]),
            ("claimWithdrawal(uint64,uint64,uint32,address,uint64,(uint32,uint64,uint64)[],bytes32[],(bytes32,uint64,bytes32[17],bytes32[]))",
                ContractArtifact.Settlement.EncodeCall("claimWithdrawal", 1UL, 42UL, 5u, account.ToString(), 99UL,
                    new List<object> { new object[] { 3u, 40UL, 1UL }, new object[] { 9u, ulong.MaxValue, 0UL } }, new List<byte[]> { RootA, RootB },
                    new AccountsEnd(new Hash256(RootB), 31UL, EndWords, [new Hash256(RootA)]).ToAbi()),
                ["1", "42", "5", account.ToString(), "99",
                    new JsonArray(new JsonArray("3", "40", "1"), new JsonArray("9", ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), "0")),
                    new JsonArray(Hex.ToHex(RootA), Hex.ToHex(RootB)),
                    new JsonArray(Hex.ToHex(RootB), "31", new JsonArray(Enumerable.Range(0, 17).Select(i => (JsonNode)Hex.ToHex(EndWords.AsSpan(i * 32, 32))).ToArray()), new JsonArray(Hex.ToHex(RootA)))]),
            ("escape(bytes,bytes32[],bytes32,(uint32,bytes,bytes32[],bytes,bytes32[],bytes32[])[])",
                ContractArtifact.EscapeHatch.EncodeCall("escape", new byte[] { 9 }, new List<byte[]> { RootA }, RootB, new List<object>
                {
                    new object[] { 7u, new byte[] { 1, 2 }, new List<byte[]> { RootA }, new byte[] { 3 }, new List<byte[]>(), new List<byte[]> { RootB, RootA } },
                }),
                ["0x09", new JsonArray(Hex.ToHex(RootA)), Hex.ToHex(RootB),
                    new JsonArray(new JsonArray("7", "0x0102", new JsonArray(Hex.ToHex(RootA)), "0x03", new JsonArray(), new JsonArray(Hex.ToHex(RootB), Hex.ToHex(RootA))))]),
        ];

        var fragments = L1Oracle.Ask(new JsonObject
        {
            ["op"] = "fragments",
            ["items"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject { ["kind"] = "function", ["signature"] = c.Signature }).ToArray()),
        }).GetProperty("results").EnumerateArray().ToArray();
        var encodings = L1Oracle.Ask(new JsonObject
        {
            ["op"] = "abi",
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["types"] = new JsonArray(ParameterTypes(c.Signature).Select(t => (JsonNode)t).ToArray()),
                ["values"] = c.Values.DeepClone(),
                ["ours"] = Hex.ToHex(c.Ours.AsSpan(4)),
            }).ToArray()),
        }).GetProperty("results").EnumerateArray().ToArray();

        for (var i = 0; i < cases.Length; i++)
        {
            var expected = fragments[i].GetProperty("hash").GetString() + encodings[i].GetProperty("encoded").GetString()![2..];
            Assert.Equal(expected, Hex.ToHex(cases[i].Ours));
        }
    }

    /// <summary>The top-level parameter types of a signature, split at the commas outside parentheses.</summary>
    private static List<string> ParameterTypes(string signature)
    {
        var inner = signature[(signature.IndexOf('(', StringComparison.Ordinal) + 1)..^1];
        var types = new List<string>();
        var (depth, start) = (0, 0);
        for (var i = 0; i < inner.Length; i++)
        {
            depth += inner[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (inner[i] == ',' && depth == 0)
            {
                types.Add(inner[start..i]);
                start = i + 1;
            }
        }
        types.Add(inner[start..]);
        return types;
    }
}
