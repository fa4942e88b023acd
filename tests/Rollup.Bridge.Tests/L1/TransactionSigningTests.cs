using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Rollup.Bridge.L1;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.L1;

/// <summary>
/// What the <see cref="TransactionSender"/> signs (with Nethereum's EIP-1559 signer) against ethers: the same key and
/// fields give the same bytes, and ethers reads them back as what was asked for. Every field is given, so nothing
/// is asked of a node (the endpoint is never contacted).
/// </summary>
public sealed class TransactionSigningTests : IDisposable
{
    private readonly L1Client _offline = new(new Uri("http://127.0.0.1:9"));

    /// <summary>The worked example of docs/l1-client.md; the expected values were computed by ethers 6.17 (Wallet.signTransaction).</summary>
    [Fact]
    public async Task Sign_DocumentedExample_MatchesEthers()
    {
        var sender = new TransactionSender(_offline, AnvilProcess.DevKey(0), 31337);
        var signed = await sender.SignAsync(new L1TransactionRequest
        {
            Nonce = 0,
            MaxPriorityFeePerGas = 1_000_000_000,
            MaxFeePerGas = 3_000_000_000,
            GasLimit = 21_000,
            To = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            Value = BigInteger.Pow(10, 18),
        });
        Assert.Equal(
            "0x02f874827a6980843b9aca0084b2d05e008252089470997970c51812dc3a010c7d01b50e0d17dc79c8880de0b6b3a764000080c001a0327b671398e480b9ae2a3b89650723c01d64f3dff2d3acfc13a13a6c0ee30da2a01381fa02803f87cc7ec266fff399d884f155d2cf803912fecccf8a867c3b7b35",
            signed.Raw);
        Assert.Equal(Hash256.Parse("0x21f97614e3117d6e9083ba46b8b2be20c428008e5f6801adcc19fc00741833a6"), signed.Hash);
    }

    [Fact]
    public async Task Sign_RandomTransactions_EthersParsesThemAndSignsTheSameBytes()
    {
        var random = new Random(1559);
        var cases = Enumerable.Range(0, 60).Select(_ => (Key: PrivateKey.Generate(), ChainId: RandomChainId(random), Request: RandomRequest(random))).ToArray();
        var signed = new SignedL1Transaction[cases.Length];
        for (var i = 0; i < cases.Length; i++)
        {
            signed[i] = await new TransactionSender(_offline, cases[i].Key, cases[i].ChainId).SignAsync(cases[i].Request);
        }

        var answer = L1Oracle.Ask(new JsonObject
        {
            ["op"] = "tx",
            ["items"] = new JsonArray(cases.Select((c, i) => (JsonNode)new JsonObject
            {
                ["key"] = c.Key.ToHexUnsafe(),
                ["tx"] = ToJson(c.ChainId, c.Request),
                ["raw"] = signed[i].Raw,
            }).ToArray()),
        });

        var results = answer.GetProperty("results").EnumerateArray().ToArray();
        for (var i = 0; i < cases.Length; i++)
        {
            var (key, chainId, request) = cases[i];
            var parsed = results[i].GetProperty("parsed");
            // ethers signs the same fields with the same key into the same bytes (RFC 6979 is deterministic).
            Assert.Equal(results[i].GetProperty("signed").GetString(), signed[i].Raw);
            // ethers reads the raw transaction back as what was asked for, from the key's address.
            Assert.Equal(2, parsed.GetProperty("type").GetInt32());
            Assert.Equal(ToJson(chainId, request).ToJsonString(), new JsonObject
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
            Assert.Equal(request.Nonce, signed[i].Nonce);
        }
    }

    public void Dispose() => _offline.Dispose();

    private static ulong RandomChainId(Random random) => random.Next(3) switch { 0 => 1, 1 => 31337, _ => (ulong)random.NextInt64(1, long.MaxValue) };

    private static L1TransactionRequest RandomRequest(Random random)
    {
        var data = new byte[random.Next(4) switch { 0 => 0, 1 => 1, 2 => random.Next(50, 60), _ => random.Next(100, 400) }];
        random.NextBytes(data);
        var to = new byte[Address.Length];
        random.NextBytes(to);
        return new L1TransactionRequest
        {
            Nonce = random.Next(3) == 0 ? 0 : (ulong)random.NextInt64(0, 1L << 52),
            MaxPriorityFeePerGas = random.Next(3) == 0 ? 0 : random.NextInt64(),
            MaxFeePerGas = new BigInteger(random.NextInt64()) * random.Next(1, 1000),
            GasLimit = (ulong)random.NextInt64(21_000, 30_000_000),
            To = random.Next(4) == 0 ? null : new Address(to),
            Value = random.Next(3) == 0 ? 0 : new BigInteger(random.NextInt64()) * random.NextInt64(),
            Data = data,
        };
    }

    private static JsonObject ToJson(ulong chainId, L1TransactionRequest request) => new()
    {
        ["chainId"] = chainId.ToString(CultureInfo.InvariantCulture),
        ["nonce"] = request.Nonce!.Value.ToString(CultureInfo.InvariantCulture),
        ["maxPriorityFeePerGas"] = request.MaxPriorityFeePerGas!.Value.ToString(CultureInfo.InvariantCulture),
        ["maxFeePerGas"] = request.MaxFeePerGas!.Value.ToString(CultureInfo.InvariantCulture),
        ["gasLimit"] = request.GasLimit!.Value.ToString(CultureInfo.InvariantCulture),
        ["to"] = request.To?.ToString(),
        ["value"] = request.Value.ToString(CultureInfo.InvariantCulture),
        ["data"] = Hex.ToHex(request.Data.Span),
    };
}
