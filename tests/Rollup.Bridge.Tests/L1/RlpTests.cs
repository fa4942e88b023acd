using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Rollup.Bridge.L1;
using Rollup.Primitives;

namespace Rollup.Bridge.Tests.L1;

public class RlpTests
{
    private const string LoremMax = "Lorem ipsum dolor sit amet, consectetur adipisicing eli"; // 55 bytes: the longest short string
    private const string Lorem56 = "Lorem ipsum dolor sit amet, consectetur adipisicing elit"; // 56 bytes: the first long one

    // The Ethereum RLP test vectors (ethereum/tests, RLPTests/rlptest.json) and the examples of the RLP
    // specification (ethereum.org: "dog", ["cat","dog"], 1024, the set-theoretic representation of three).
    public static TheoryData<string, string> StringVectors => new()
    {
        { "", "0x80" },
        { "dog", "0x83646f67" },
        { LoremMax, "0xb7" + Convert.ToHexStringLower(Encoding.ASCII.GetBytes(LoremMax)) },
        { Lorem56, "0xb838" + Convert.ToHexStringLower(Encoding.ASCII.GetBytes(Lorem56)) },
    };

    public static TheoryData<string, string> IntegerVectors => new()
    {
        { "0", "0x80" },
        { "1", "0x01" },
        { "16", "0x10" },
        { "79", "0x4f" },
        { "127", "0x7f" },
        { "128", "0x8180" },
        { "1000", "0x8203e8" },
        { "1024", "0x820400" },
        { "100000", "0x830186a0" },
        { "83729609699884896815286331701780722", "0x8f102030405060708090a0b0c0d0e0f2" },
        { "105315505618206987246253880190783558935785933862974822347068935681", "0x9c0100020003000400050006000700080009000a000b000c000d000e01" },
        { "115792089237316195423570985008687907853269984665640564039457584007913129639936", "0xa1010000000000000000000000000000000000000000000000000000000000000000" },
    };

    [Theory]
    [MemberData(nameof(StringVectors))]
    public void EncodeBytes_PublishedVectors_Match(string text, string expected)
    {
        var encoded = Rlp.EncodeBytes(Encoding.ASCII.GetBytes(text));
        Assert.Equal(expected, Hex.ToHex(encoded));
        Assert.Equal(text, Encoding.ASCII.GetString(RlpDecoder.Decode(encoded).Bytes.Span));
    }

    [Theory]
    [MemberData(nameof(IntegerVectors))]
    public void EncodeUInt_PublishedVectors_Match(string number, string expected)
    {
        var value = BigInteger.Parse(number, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Hex.ToHex(Rlp.EncodeUInt(value)));
        if (value <= ulong.MaxValue)
        {
            Assert.Equal(expected, Hex.ToHex(Rlp.EncodeUInt((ulong)value)));
            Assert.Equal((ulong)value, RlpDecoder.Decode(Hex.Parse(expected)).AsUInt64());
        }
        Assert.Equal(value, RlpDecoder.Decode(Hex.Parse(expected)).AsUInt(33));
    }

    [Fact]
    public void EncodeBytes_SingleBytesBelow0x80_AreThemselves()
    {
        Assert.Equal("0x00", Hex.ToHex(Rlp.EncodeBytes([0x00])));
        Assert.Equal("0x01", Hex.ToHex(Rlp.EncodeBytes([0x01])));
        Assert.Equal("0x7f", Hex.ToHex(Rlp.EncodeBytes([0x7f])));
        Assert.Equal("0x8180", Hex.ToHex(Rlp.EncodeBytes([0x80])));
    }

    [Fact]
    public void EncodeList_PublishedVectors_Match()
    {
        Assert.Equal("0xc0", Hex.ToHex(Rlp.EncodeList()));
        Assert.Equal("0xc88363617483646f67", Hex.ToHex(List("cat", "dog")));
        Assert.Equal("0xcc83646f6783676f6483636174", Hex.ToHex(List("dog", "god", "cat")));
        // ["zw", [4], 1]
        Assert.Equal("0xc6827a77c10401", Hex.ToHex(Rlp.EncodeList(Str("zw"), Rlp.EncodeList(Rlp.EncodeUInt(4UL)), Rlp.EncodeUInt(1UL))));
        // [[[], []], []]
        Assert.Equal("0xc4c2c0c0c0", Hex.ToHex(Rlp.EncodeList(Rlp.EncodeList(Rlp.EncodeList(), Rlp.EncodeList()), Rlp.EncodeList())));
        // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ]
        var zero = Rlp.EncodeList();
        var one = Rlp.EncodeList(zero);
        var two = Rlp.EncodeList(zero, one);
        Assert.Equal("0xc7c0c1c0c3c0c1c0", Hex.ToHex(Rlp.EncodeList(zero, one, two)));
        // shortListMax1: 55 bytes of payload, still the short form
        Assert.Equal(
            "0xf784617364668471776572847a78637684617364668471776572847a78637684617364668471776572847a78637684617364668471776572",
            Hex.ToHex(List("asdf", "qwer", "zxcv", "asdf", "qwer", "zxcv", "asdf", "qwer", "zxcv", "asdf", "qwer")));
        // longList1: four ["asdf","qwer","zxcv"], 64 bytes of payload
        var triple = List("asdf", "qwer", "zxcv");
        Assert.Equal(
            "0xf840cf84617364668471776572847a786376cf84617364668471776572847a786376cf84617364668471776572847a786376cf84617364668471776572847a786376",
            Hex.ToHex(Rlp.EncodeList(triple, triple, triple, triple)));
        // dictTest1
        Assert.Equal(
            "0xecca846b6579318476616c31ca846b6579328476616c32ca846b6579338476616c33ca846b6579348476616c34",
            Hex.ToHex(Rlp.EncodeList(List("key1", "val1"), List("key2", "val2"), List("key3", "val3"), List("key4", "val4"))));
    }

    [Fact]
    public void Decode_PublishedList_GivesTheStructure()
    {
        var three = RlpDecoder.Decode(Hex.Parse("0xc7c0c1c0c3c0c1c0"));
        Assert.Equal(3, three.Items.Count);
        Assert.Empty(three.Items[0].Items);
        Assert.Single(three.Items[1].Items);
        Assert.Equal(2, three.Items[2].Items.Count);
        Assert.Equal("[[], [[]], [[], [[]]]]", three.ToString());

        var catDog = RlpDecoder.Decode(Hex.Parse("0xc88363617483646f67"));
        Assert.Equal(["cat", "dog"], catDog.Items.Select(i => Encoding.ASCII.GetString(i.Bytes.Span)));
    }

    [Fact]
    public void RoundTrip_RandomNestedItems_MatchEthersAndDecodeBack()
    {
        var random = new Random(1559);
        var items = Enumerable.Range(0, 200).Select(_ => RandomItem(random, 0)).ToArray();
        var answer = L1Oracle.Ask(new JsonObject { ["op"] = "rlp", ["items"] = new JsonArray(items.Select(ToJson).ToArray()) });
        var expected = answer.GetProperty("encoded").EnumerateArray().Select(e => e.GetString()).ToArray();
        for (var i = 0; i < items.Length; i++)
        {
            var encoded = Rlp.Encode(items[i]);
            Assert.Equal(expected[i], Hex.ToHex(encoded));
            Assert.Equal(encoded, Rlp.Encode(RlpDecoder.Decode(encoded)));
        }
    }

    public static TheoryData<string, string> MalformedInputs => new()
    {
        { "", "input ends" },
        { "0x8100", "must be encoded as itself" },          // 0x00 as a one-byte string
        { "0x817f", "must be encoded as itself" },
        { "0xb800", "leading zero" },                        // long form with a zero length byte
        { "0xb80100", "uses the long form" },                // long form for a 1-byte string
        { "0xb90001", "leading zero" },
        { "0xf800", "leading zero" },
        { "0xf80100", "uses the long form" },
        { "0x83646f", "claims 3 bytes, 2 remain" },          // "dog" cut short
        { "0xc883636174", "claims 8 bytes" },                // list cut short
        { "0xbf", "cut off" },                               // 8 length bytes missing
        { "0xbfffffffffffffffff", "claims" },                // an absurd length, refused before allocating
        { "0x83646f6700", "1 bytes after the item" },        // trailing bytes
        { "0xc1c1", "claims 1 bytes, 0 remain" },            // inner list longer than the outer one
    };

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Decode_MalformedOrNonCanonical_Throws(string hex, string expectedMessage)
    {
        var error = Assert.Throws<RlpException>(() => RlpDecoder.Decode(hex.Length == 0 ? [] : Hex.Parse(hex)));
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NestingAndItemLimits_AreEnforced()
    {
        var deep = Rlp.EncodeList();
        for (var i = 0; i < 20; i++)
        {
            deep = Rlp.EncodeList(deep);
        }
        Assert.Contains("nested deeper than 16", Assert.Throws<RlpException>(() => RlpDecoder.Decode(deep)).Message, StringComparison.Ordinal);
        Assert.Equal(21, Depth(RlpDecoder.Decode(deep, maxDepth: 21)));

        var wide = Rlp.EncodeList(Enumerable.Repeat(Rlp.EncodeUInt(1UL), 100).ToArray());
        Assert.Contains("more than 50 items", Assert.Throws<RlpException>(() => RlpDecoder.Decode(wide, maxItems: 50)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accessors_WrongShapeOrNonCanonicalInteger_Throw()
    {
        Assert.Throws<RlpException>(() => RlpDecoder.Decode([0xc0]).Bytes);
        Assert.Throws<RlpException>(() => RlpDecoder.Decode([0x80]).Items);
        Assert.Contains("leading zero", Assert.Throws<RlpException>(() => RlpDecoder.Decode(Hex.Parse("0x820001")).AsUInt64()).Message, StringComparison.Ordinal);
        Assert.Contains("exceeds 8 bytes", Assert.Throws<RlpException>(() => RlpDecoder.Decode(Hex.Parse("0x89010000000000000000")).AsUInt64()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Rlp.EncodeUInt(BigInteger.MinusOne));
        Assert.Null(RlpDecoder.Decode([0x80]).AsOptionalAddress());
    }

    private static byte[] Str(string text) => Rlp.EncodeBytes(Encoding.ASCII.GetBytes(text));

    private static byte[] List(params string[] texts) => Rlp.EncodeList(texts.Select(Str).ToArray());

    private static int Depth(RlpItem item) => item.IsList ? 1 + item.Items.Select(Depth).DefaultIfEmpty(0).Max() : 0;

    private static RlpItem RandomItem(Random random, int depth)
    {
        if (depth < 3 && random.Next(3) == 0)
        {
            return RlpItem.List(Enumerable.Range(0, random.Next(0, 6)).Select(_ => RandomItem(random, depth + 1)).ToArray());
        }
        // Lengths around the 55/56 boundary and single bytes on both sides of 0x80.
        var length = random.Next(6) switch
        {
            0 => 0,
            1 => 1,
            2 => random.Next(54, 58),
            3 => random.Next(200, 300),
            _ => random.Next(2, 20),
        };
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return RlpItem.String(bytes);
    }

    private static JsonNode ToJson(RlpItem item) =>
        item.IsList ? new JsonArray(item.Items.Select(ToJson).ToArray()) : JsonValue.Create(Hex.ToHex(item.Bytes.Span));
}
