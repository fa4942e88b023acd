using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Testing;

namespace Rollup.Primitives.Tests.Hashing;

public class Keccak256Tests
{
    // Published Keccak-256 vectors (Keccak team's submission padding, as Ethereum uses it).
    [Theory]
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    [InlineData("The quick brown fox jumps over the lazy dog.", "0x578951e24efd62a3d63a86f7cd19aaa53c898fe287d2552133220370240b572d")]
    public void Compute_PublishedVector_Matches(string input, string expected)
    {
        Assert.Equal(Hash256.Parse(expected), Keccak256.Compute(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void Compute_LengthsAroundRateAndOneMegabyte_MatchEthers()
    {
        var random = new Random(1234);
        var inputs = new List<byte[]>();
        foreach (var length in new[] { 1, 31, 32, 33, 64, 134, 135, 136, 137, 138, 200, 271, 272, 273, 408, 1000 })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            inputs.Add(bytes);
        }
        var megabyte = new byte[1_000_000];
        random.NextBytes(megabyte);
        inputs.Add(megabyte);
        inputs.Add(Enumerable.Repeat((byte)'a', 1_000_000).ToArray());

        var request = new JsonObject { ["op"] = "keccak", ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)Hex.ToHex(i)).ToArray()) };
        var hashes = EthersOracle.Ask(request).GetProperty("hashes").EnumerateArray().Select(h => h.GetString()!).ToList();

        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.True(Hash256.Parse(hashes[i]) == Keccak256.Compute(inputs[i]), $"input {i} of {inputs[i].Length} bytes");
        }
    }

    [Fact]
    public void Permutation_WithSha3Padding_MatchesDotNetSha3()
    {
        // SHA3-256 (FIPS 202) is the same sponge and permutation with another padding byte (0x06).
        // .NET's SHA3_256 (OpenSSL) is an independent implementation of that permutation.
        Assert.True(SHA3_256.IsSupported, "SHA3_256 needs OpenSSL 1.1.1+");
        var random = new Random(99);
        for (var length = 0; length < 700; length += 7)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(SHA3_256.HashData(data), Sha3WithOurPermutation(data));
        }
    }

    [Fact]
    public void Update_AnySplit_EqualsOneShot()
    {
        var property = Prop.ForAll(
            ArbMap.Default.ArbFor<byte[]>(),
            ArbMap.Default.ArbFor<PositiveInt>(),
            (data, step) =>
            {
                var hasher = new Keccak256();
                var chunk = (step.Get % 150) + 1;
                for (var offset = 0; offset < data.Length; offset += chunk)
                {
                    hasher.Update(data.AsSpan(offset, Math.Min(chunk, data.Length - offset)));
                }
                return hasher.Finish() == Keccak256.Compute(data);
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Reset_AfterFinish_StartsOver()
    {
        var hasher = new Keccak256();
        hasher.Update("garbage"u8);
        _ = hasher.Finish();
        hasher.Reset();
        hasher.Update("abc"u8);
        Assert.Equal(Keccak256.Compute("abc"u8), hasher.Finish());
    }

    private static byte[] Sha3WithOurPermutation(ReadOnlySpan<byte> data)
    {
        Span<ulong> state = stackalloc ulong[25];
        while (data.Length >= Keccak256.RateBytes)
        {
            KeccakPermutation.AbsorbAndPermute(state, data[..Keccak256.RateBytes]);
            data = data[Keccak256.RateBytes..];
        }
        var last = new byte[Keccak256.RateBytes];
        data.CopyTo(last);
        last[data.Length] ^= 0x06;
        last[^1] ^= 0x80;
        KeccakPermutation.AbsorbAndPermute(state, last);
        var output = new byte[32];
        for (var i = 0; i < 4; i++)
        {
            BitConverter.TryWriteBytes(output.AsSpan(i * 8), state[i]);
        }
        return output;
    }
}
