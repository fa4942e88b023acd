using System.Globalization;
using System.Text.Json.Nodes;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Execution.Tests.Transactions;

public class PlaceOrderSigningTests
{
    [Fact]
    public void SigningDigest_RandomOrders_MatchEthersTypedDataEncoder()
    {
        var random = new Random(31337);
        var domain = RollupDomain.Create((ulong)random.NextInt64(1, long.MaxValue), new Address(RandomBytes(random, 20)));
        var orders = new List<PlaceOrder>();
        var keys = new List<PrivateKey>();
        for (var i = 0; i < 40; i++)
        {
            var key = new PrivateKey(RandomKey(random));
            keys.Add(key);
            orders.Add(new PlaceOrder(
                key.Address,
                Market: i == 0 ? uint.MaxValue : (uint)random.NextInt64(0, uint.MaxValue),
                IsBuy: random.Next(2) == 1,
                Price: i == 0 ? ulong.MaxValue : (ulong)random.NextInt64(),
                Size: (ulong)random.NextInt64(),
                Kind: (OrderKind)random.Next(0, 2),
                TimeInForce: (TimeInForce)random.Next(0, 4),
                ReduceOnly: random.Next(2) == 1,
                ClientOrderId: (ulong)random.NextInt64(),
                Nonce: i == 0 ? 0 : (ulong)random.NextInt64()));
        }

        var request = new JsonObject
        {
            ["op"] = "typedData",
            ["domain"] = new JsonObject
            {
                ["name"] = RollupDomain.Name,
                ["version"] = RollupDomain.Version,
                ["chainId"] = domain.ChainId.ToString(CultureInfo.InvariantCulture),
                ["verifyingContract"] = domain.VerifyingContract.ToChecksumString(),
            },
            ["types"] = new JsonObject { ["Order"] = OrderTypeAsJson() },
            ["primaryType"] = "Order",
            ["messages"] = new JsonArray(orders.Select(o => (JsonNode)ToJson(o)).ToArray()),
            ["keys"] = new JsonArray(keys.Select(k => (JsonNode)k.ToHexUnsafe()).ToArray()),
        };
        var results = EthersOracle.Ask(request).GetProperty("results").EnumerateArray().ToList();

        for (var i = 0; i < orders.Count; i++)
        {
            Assert.Equal(Hash256.Parse(results[i].GetProperty("structHash").GetString()!), orders[i].StructHash());
            var digest = orders[i].SigningDigest(domain);
            Assert.Equal(Hash256.Parse(results[i].GetProperty("digest").GetString()!), digest);
            var signature = Hex.Parse(results[i].GetProperty("signature").GetString()!);
            Assert.Equal(orders[i].Account, Secp256k1.RecoverAddress(digest.Bytes, signature));
        }
    }

    [Fact]
    public void EncodedType_ParsedByGeneralEncoder_SameTypeHash()
    {
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>
        {
            ["Order"] = OrderTypeAsJson().Select(f => new TypedDataField(f!["name"]!.GetValue<string>(), f["type"]!.GetValue<string>())).ToList(),
        };
        var encoder = new TypedDataEncoder(types);
        Assert.Equal(PlaceOrder.EncodedType, encoder.EncodeType("Order"));
        Assert.Equal(PlaceOrder.TypeHash, encoder.TypeHash("Order"));
    }

    [Fact]
    public void SigningDigest_OtherChainOrContract_Differs()
    {
        var order = new PlaceOrder(Address.Zero, 1, true, 100, 5, OrderKind.Limit, TimeInForce.Gtc, false, 1, 1);
        var contract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
        var digest = order.SigningDigest(RollupDomain.Create(1, contract));
        Assert.NotEqual(digest, order.SigningDigest(RollupDomain.Create(2, contract)));
        Assert.NotEqual(digest, order.SigningDigest(RollupDomain.Create(1, Address.Zero)));
    }

    // Written out from docs/eip712.md, not derived from the code under test.
    private static JsonArray OrderTypeAsJson() => new(
        Field("account", "address"), Field("market", "uint32"), Field("isBuy", "bool"), Field("price", "uint64"),
        Field("size", "uint64"), Field("kind", "uint8"), Field("timeInForce", "uint8"), Field("reduceOnly", "bool"),
        Field("clientOrderId", "uint64"), Field("nonce", "uint64"));

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };

    private static JsonObject ToJson(PlaceOrder order) => new()
    {
        ["account"] = order.Account.ToChecksumString(),
        ["market"] = order.Market,
        ["isBuy"] = order.IsBuy,
        ["price"] = order.Price.ToString(CultureInfo.InvariantCulture),
        ["size"] = order.Size.ToString(CultureInfo.InvariantCulture),
        ["kind"] = (byte)order.Kind,
        ["timeInForce"] = (byte)order.TimeInForce,
        ["reduceOnly"] = order.ReduceOnly,
        ["clientOrderId"] = order.ClientOrderId.ToString(CultureInfo.InvariantCulture),
        ["nonce"] = order.Nonce.ToString(CultureInfo.InvariantCulture),
    };

    private static byte[] RandomKey(Random random)
    {
        var key = new byte[32];
        do
        {
            random.NextBytes(key);
        }
        while (!Secp256k1.IsValidPrivateKey(key));
        return key;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
