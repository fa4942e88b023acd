using System.Text.Json.Nodes;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Primitives.Tests.Eip712;

public class TypedDataTests
{
    // The example from the EIP-712 specification (eip-712.md, "Example" and its test vectors).
    private const string MailJson = """
        {
          "types": {
            "EIP712Domain": [
              {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
              {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}
            ],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
            "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]
          },
          "primaryType": "Mail",
          "domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
          "message": {
            "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
            "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
            "contents": "Hello, Bob!"
          }
        }
        """;

    [Fact]
    public void Mail_SpecificationExample_MatchesPublishedHashesAndSignature()
    {
        var document = TypedDataDocument.Parse(MailJson);
        Assert.Equal("Mail(Person from,Person to,string contents)Person(string name,address wallet)", document.Encoder.EncodeType("Mail"));
        Assert.Equal(Hash256.Parse("0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2"), document.Encoder.TypeHash("Mail"));
        Assert.Equal(Hash256.Parse("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"), document.Encoder.HashStruct("EIP712Domain", document.Domain));
        Assert.Equal(Hash256.Parse("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"), document.Encoder.HashStruct("Mail", document.Message));
        var digest = document.Digest();
        Assert.Equal(Hash256.Parse("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"), digest);

        // The specification signs with keccak256("cow"); its v, r, s are published.
        var cow = new PrivateKey(Keccak256.Compute("cow"u8).Bytes);
        Assert.Equal(Address.Parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"), cow.Address);
        var signature = cow.Sign(digest.Bytes);
        Assert.Equal(Hex.Parse("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"), signature[..32]);
        Assert.Equal(Hex.Parse("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"), signature[32..64]);
        Assert.Equal(28, signature[64] + 27);
    }

    [Fact]
    public void Domain_SeparatorFromRecord_EqualsGeneralEncoder()
    {
        var domain = new Eip712Domain("Ether Mail", "1", 1, Address.Parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));
        Assert.Equal(Hash256.Parse("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"), domain.Separator);
    }

    [Fact]
    public void HashStruct_EveryKindOfMember_MatchesEthers()
    {
        // Arrays, nested arrays of structs, signed and narrow integers, fixed and dynamic bytes.
        var types = new JsonObject
        {
            ["Leg"] = Fields(("market", "uint32"), ("delta", "int64"), ("tags", "bytes4[]")),
            ["Basket"] = Fields(("owner", "address"), ("legs", "Leg[]"), ("note", "string"), ("blob", "bytes"), ("salt", "bytes32"), ("big", "uint256"), ("small", "int8"), ("pair", "uint16[2]"), ("ok", "bool")),
        };
        var random = new Random(5);
        var messages = new JsonArray();
        for (var i = 0; i < 20; i++)
        {
            var legs = new JsonArray();
            for (var j = random.Next(0, 4); j > 0; j--)
            {
                legs.Add(new JsonObject
                {
                    ["market"] = random.Next(),
                    ["delta"] = (random.NextInt64() - (long.MaxValue / 2)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["tags"] = new JsonArray(Enumerable.Range(0, random.Next(0, 3)).Select(_ => (JsonNode)Hex.ToHex(RandomBytes(random, 4))).ToArray()),
                });
            }
            messages.Add(new JsonObject
            {
                ["owner"] = new Address(RandomBytes(random, 20)).ToChecksumString(),
                ["legs"] = legs,
                ["note"] = "note #" + i + " ✓",
                ["blob"] = Hex.ToHex(RandomBytes(random, random.Next(0, 70))),
                ["salt"] = Hex.ToHex(RandomBytes(random, 32)),
                ["big"] = Hex.ToHex(RandomBytes(random, 32)),
                ["small"] = random.Next(-128, 128),
                ["pair"] = new JsonArray(random.Next(0, 65536), random.Next(0, 65536)),
                ["ok"] = random.Next(2) == 1,
            });
        }
        var domain = new JsonObject { ["name"] = "Test", ["version"] = "7", ["chainId"] = 31337, ["verifyingContract"] = new Address(RandomBytes(random, 20)).ToChecksumString() };
        var request = new JsonObject { ["op"] = "typedData", ["domain"] = domain, ["types"] = types, ["primaryType"] = "Basket", ["messages"] = messages };
        var results = EthersOracle.Ask(request).GetProperty("results").EnumerateArray().ToList();

        types["EIP712Domain"] = Fields(("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address"));
        for (var i = 0; i < messages.Count; i++)
        {
            var document = TypedDataDocument.Parse(new JsonObject
            {
                ["types"] = types.DeepClone(),
                ["primaryType"] = "Basket",
                ["domain"] = domain.DeepClone(),
                ["message"] = messages[i]!.DeepClone(),
            }.ToJsonString());
            Assert.Equal(Hash256.Parse(results[i].GetProperty("structHash").GetString()!), document.Encoder.HashStruct("Basket", document.Message));
            Assert.Equal(Hash256.Parse(results[i].GetProperty("digest").GetString()!), document.Digest());
        }
    }

    [Theory]
    [InlineData("""{"a": 256}""", "uint8", "does not fit")]
    [InlineData("""{"a": -1}""", "uint64", "does not fit")]
    [InlineData("""{"a": 128}""", "int8", "does not fit")]
    [InlineData("""{"a": "0x1234"}""", "bytes4", "needs 4 bytes")]
    [InlineData("""{"a": "0x12"}""", "address", "expected an address")]
    [InlineData("""{"b": 1}""", "uint8", "is missing")]
    [InlineData("""{"a": 1}""", "uint7", "unknown type")]
    public void HashStruct_BadValue_ClearError(string message, string type, string expected)
    {
        var json = $$"""{"types": {"T": [{"name": "a", "type": "{{type}}"}]}, "primaryType": "T", "domain": {}, "message": {{message}}}""";
        var document = TypedDataDocument.Parse(json);
        var error = Assert.Throws<FormatException>(() => document.Encoder.HashStruct("T", document.Message));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static JsonArray Fields(params (string Name, string Type)[] fields) =>
        new(fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }).ToArray());

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
