using System.Text.Json.Nodes;
using Rollup.Bridge.Batches;
using Rollup.Primitives;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Batches;

public class BatchPartsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 7)]
    [InlineData(100, 100)]
    [InlineData(100, 101)]
    [InlineData(250_000, BatchParts.DefaultMaxPartBytes)]
    public void Parts_cover_the_frame_in_order_none_larger_than_the_maximum(int frameLength, int maxPart)
    {
        var frame = new byte[frameLength];
        new Random(frameLength).NextBytes(frame);
        var parts = BatchParts.Split(frame, maxPart);
        Assert.Equal((frameLength + maxPart - 1) / maxPart, parts.Count);
        Assert.All(parts, part => Assert.InRange(part.Length, 1, maxPart));
        Assert.Equal(frame, BatchParts.Join(parts, BatchLimits.Default));
    }

    [Fact]
    public void Join_refuses_too_many_parts_or_bytes()
    {
        var parts = BatchParts.Split(new byte[100], 10);
        Assert.Throws<BatchFormatException>(() => BatchParts.Join(parts, BatchLimits.Default with { MaxParts = 9 }));
        Assert.Throws<BatchFormatException>(() => BatchParts.Join(parts, BatchLimits.Default with { MaxFrameBytes = 99 }));
        Assert.Throws<BatchFormatException>(() => BatchParts.Join([], BatchLimits.Default));
    }

    [Fact]
    public void The_data_hash_is_the_keccak_chain_the_contract_keeps_computed_by_ethers()
    {
        var frame = new byte[300];
        new Random(1).NextBytes(frame);
        var parts = BatchParts.Split(frame, 128);
        var partHashes = EthersOracle.Ask(new JsonObject
        {
            ["op"] = "keccak",
            ["inputs"] = new JsonArray([.. parts.Select(p => JsonValue.Create(Hex.ToHex(p.Span)))]),
        }).GetProperty("hashes");
        var accumulator = "0x" + new string('0', 64);
        foreach (var partHash in partHashes.EnumerateArray())
        {
            accumulator = EthersOracle.Ask(new JsonObject
            {
                ["op"] = "keccak",
                ["inputs"] = new JsonArray(accumulator + partHash.GetString()![2..]),
            }).GetProperty("hashes")[0].GetString()!;
        }
        Assert.Equal(accumulator, BatchParts.DataHash(parts).ToString());
    }
}
