using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Rollup.Bridge.L1;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

public class Eip1559TransactionTests
{
    /// <summary>The worked example of docs/l1-client.md; the expected values were computed by ethers 6.17 (Wallet.signTransaction).</summary>
    [Fact]
    public void Sign_DocumentedExample_MatchesEthers()
    {
        var transaction = new Eip1559Transaction
        {
            ChainId = 31337,
            Nonce = 0,
            MaxPriorityFeePerGas = 1_000_000_000,
            MaxFeePerGas = 3_000_000_000,
            GasLimit = 21_000,
            To = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            Value = BigInteger.Pow(10, 18),
        };
        Assert.Equal(
            "0x02f1827a6980843b9aca0084b2d05e008252089470997970c51812dc3a010c7d01b50e0d17dc79c8880de0b6b3a764000080c0",
            Hex.ToHex(transaction.EncodeForSigning()));
        Assert.Equal(Hash256.Parse("0x1e6df772a5754d642af0a6eb2490b37e7ee4aff5994733d78233bcbbd9d4fdfa"), transaction.SigningHash());

        var signed = transaction.Sign(AnvilProcess.DevKey(0));
        Assert.Equal(1, signed.YParity);
        Assert.Equal(BigInteger.Parse("0327b671398e480b9ae2a3b89650723c01d64f3dff2d3acfc13a13a6c0ee30da2", NumberStyles.HexNumber, CultureInfo.InvariantCulture), signed.R);
        Assert.Equal(BigInteger.Parse("01381fa02803f87cc7ec266fff399d884f155d2cf803912fecccf8a867c3b7b35", NumberStyles.HexNumber, CultureInfo.InvariantCulture), signed.S);
        Assert.Equal(
            "0x02f874827a6980843b9aca0084b2d05e008252089470997970c51812dc3a010c7d01b50e0d17dc79c8880de0b6b3a764000080c001a0327b671398e480b9ae2a3b89650723c01d64f3dff2d3acfc13a13a6c0ee30da2a01381fa02803f87cc7ec266fff399d884f155d2cf803912fecccf8a867c3b7b35",
            Hex.ToHex(signed.Raw));
        Assert.Equal(Hash256.Parse("0x21f97614e3117d6e9083ba46b8b2be20c428008e5f6801adcc19fc00741833a6"), signed.Hash);
        Assert.Equal(Address.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), signed.RecoverSender());
    }

    [Fact]
    public void Sign_RandomTransactions_EthersParsesThemAndSignsTheSameBytes()
    {
        var random = new Random(1559);
        var cases = Enumerable.Range(0, 60).Select(_ => (Key: PrivateKey.Generate(), Transaction: RandomTransaction(random))).ToArray();
        var signed = cases.Select(c => c.Transaction.Sign(c.Key)).ToArray();

        var answer = L1Oracle.Ask(new JsonObject
        {
            ["op"] = "tx",
            ["items"] = new JsonArray(cases.Select((c, i) => (JsonNode)new JsonObject
            {
                ["key"] = c.Key.ToHexUnsafe(),
                ["tx"] = ToJson(c.Transaction),
                ["raw"] = Hex.ToHex(signed[i].Raw),
            }).ToArray()),
        });

        var results = answer.GetProperty("results").EnumerateArray().ToArray();
        for (var i = 0; i < cases.Length; i++)
        {
            var (key, transaction) = cases[i];
            var parsed = results[i].GetProperty("parsed");
            // ethers signs the same fields with the same key into the same bytes (RFC 6979 is deterministic).
            Assert.Equal(results[i].GetProperty("signed").GetString(), Hex.ToHex(signed[i].Raw));
            Assert.Equal(results[i].GetProperty("unsignedHash").GetString(), transaction.SigningHash().ToString());
            // ethers reads our raw transaction back as what we signed, from our address.
            Assert.Equal(2, parsed.GetProperty("type").GetInt32());
            Assert.Equal(ToJson(transaction).ToJsonString(), new JsonObject
            {
                ["chainId"] = parsed.GetProperty("chainId").GetString(),
                ["nonce"] = parsed.GetProperty("nonce").GetString(),
                ["maxPriorityFeePerGas"] = parsed.GetProperty("maxPriorityFeePerGas").GetString(),
                ["maxFeePerGas"] = parsed.GetProperty("maxFeePerGas").GetString(),
                ["gasLimit"] = parsed.GetProperty("gasLimit").GetString(),
                ["to"] = parsed.GetProperty("to").GetString(),
                ["value"] = parsed.GetProperty("value").GetString(),
                ["data"] = parsed.GetProperty("data").GetString(),
            }.ToJsonString());
            Assert.Equal(key.Address.ToString(), parsed.GetProperty("from").GetString());
            Assert.Equal(signed[i].Hash.ToString(), parsed.GetProperty("hash").GetString());
            Assert.Equal(signed[i].YParity, parsed.GetProperty("yParity").GetInt32());

            // And our decoder reads it back.
            var decoded = SignedEip1559Transaction.Decode(signed[i].Raw);
            Assert.Equal(ToJson(transaction).ToJsonString(), ToJson(decoded.Transaction).ToJsonString());
            Assert.Equal(key.Address, decoded.RecoverSender());
            Assert.Equal(signed[i].Hash, decoded.Hash);
        }
    }

    [Fact]
    public void ContractAddress_FromCreate_MatchesEthers()
    {
        var sender = AnvilProcess.DevKey(0).Address;
        ulong[] nonces = [0, 1, 127, 128, 255, 256, 65_535, 1UL << 32, ulong.MaxValue];
        var answer = L1Oracle.Ask(new JsonObject
        {
            ["op"] = "createAddress",
            ["items"] = new JsonArray(nonces.Select(n => (JsonNode)new JsonObject { ["from"] = sender.ToString(), ["nonce"] = n.ToString(CultureInfo.InvariantCulture) }).ToArray()),
        });
        var expected = answer.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()).ToArray();
        Assert.Equal(expected, nonces.Select(n => ContractAddress.FromCreate(sender, n).ToString()));
        // anvil's first deployment from dev account 0 is the well-known 0x5FbDB2315678afecb367f032d93F642f64180aa3.
        Assert.Equal(Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"), ContractAddress.FromCreate(sender, 0));
    }

    [Theory]
    [InlineData("0x01c0", "type byte 0x01")]
    [InlineData("0x02c0", "12 fields, found 0")]
    [InlineData("", "type byte missing")]
    public void Decode_NotAnEip1559Envelope_Throws(string hex, string expected)
    {
        var error = Assert.Throws<RlpException>(() => SignedEip1559Transaction.Decode(hex.Length == 0 ? [] : Hex.Parse(hex)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_HighS_IsRefusedWhenRecovering()
    {
        var signed = RandomTransaction(new Random(2)).Sign(PrivateKey.Generate());
        var order = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var malleable = new SignedEip1559Transaction(signed.Transaction, (byte)(1 - signed.YParity), signed.R, order - signed.S);
        Assert.Throws<SignatureException>(() => malleable.RecoverSender());
    }

    private static Eip1559Transaction RandomTransaction(Random random)
    {
        var data = new byte[random.Next(4) switch { 0 => 0, 1 => 1, 2 => random.Next(50, 60), _ => random.Next(100, 400) }];
        random.NextBytes(data);
        var to = new byte[Address.Length];
        random.NextBytes(to);
        return new Eip1559Transaction
        {
            ChainId = random.Next(3) switch { 0 => 1, 1 => 31337, _ => (ulong)random.NextInt64(1, long.MaxValue) },
            Nonce = random.Next(3) == 0 ? 0 : (ulong)random.NextInt64(0, 1L << 52),
            MaxPriorityFeePerGas = random.Next(3) == 0 ? 0 : random.NextInt64(),
            MaxFeePerGas = new BigInteger(random.NextInt64()) * random.Next(1, 1000),
            GasLimit = (ulong)random.NextInt64(21_000, 30_000_000),
            To = random.Next(4) == 0 ? null : new Address(to),
            Value = random.Next(3) == 0 ? 0 : new BigInteger(random.NextInt64()) * random.NextInt64(),
            Data = data,
        };
    }

    private static JsonObject ToJson(Eip1559Transaction transaction) => new()
    {
        ["chainId"] = transaction.ChainId.ToString(CultureInfo.InvariantCulture),
        ["nonce"] = transaction.Nonce.ToString(CultureInfo.InvariantCulture),
        ["maxPriorityFeePerGas"] = transaction.MaxPriorityFeePerGas.ToString(CultureInfo.InvariantCulture),
        ["maxFeePerGas"] = transaction.MaxFeePerGas.ToString(CultureInfo.InvariantCulture),
        ["gasLimit"] = transaction.GasLimit.ToString(CultureInfo.InvariantCulture),
        ["to"] = transaction.To?.ToString(),
        ["value"] = transaction.Value.ToString(CultureInfo.InvariantCulture),
        ["data"] = Hex.ToHex(transaction.Data.Span),
    };
}
