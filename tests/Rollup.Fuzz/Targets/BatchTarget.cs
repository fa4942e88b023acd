using Rollup.Bridge.Batches;
using Rollup.Primitives.Compression;

namespace Rollup.Fuzz.Targets;

/// <summary>
/// The batch decoder, what a validator reads from L1: a frame either fails with <see cref="BatchFormatException"/> (the
/// reason a validator reports), or decodes within the limits to a batch whose columnar encoding decodes back to the same
/// encoding. Most seeds are uncompressed, so mutations reach the columnar decoder rather than stop at decompression.
/// </summary>
public sealed class BatchTarget : FuzzTarget
{
    private static readonly BatchLimits Limits = BatchLimits.Default;

    public override string Name => "batch";

    public override IReadOnlyList<byte[]> Seeds { get; } = MakeSeeds();

    public override FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        L2Batch batch;
        try
        {
            batch = BatchFrame.Decode(input, Limits);
        }
        catch (BatchFormatException)
        {
            return FuzzOutcome.Rejected;
        }
        var payload = ColumnarBatchEncoder.Encode(batch);
        var again = ColumnarBatchEncoder.Encode(ColumnarBatchDecoder.Decode(payload, Limits));
        return payload.AsSpan().SequenceEqual(again)
            ? FuzzOutcome.Accepted
            : throw new FuzzFindingException($"a decoded batch of {batch.Blocks.Count} blocks does not survive its own re-encoding");
    }

    private static List<byte[]> MakeSeeds()
    {
        var blocks = FuzzSeeds.Blocks(count: 3, transactionsPerBlock: 20);
        var seeds = new List<byte[]>();
        for (var first = 0; first < blocks.Count; first++)
        {
            var batch = new L2Batch([.. blocks.Skip(first)]);
            seeds.Add(BatchFrame.Encode(batch, CompressionCodecId.None));
            seeds.Add(BatchFrame.Encode(new L2Batch([blocks[first]]), CompressionCodecId.None));
        }
        seeds.Add(BatchFrame.Encode(new L2Batch(blocks), CompressionCodecId.Lz4));
        seeds.Add(BatchFrame.Encode(new L2Batch(blocks), CompressionCodecId.Zstd));
        return seeds;
    }
}
