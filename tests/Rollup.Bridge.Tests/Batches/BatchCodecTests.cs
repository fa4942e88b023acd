using FsCheck;
using FsCheck.Fluent;
using Rollup.Bridge.Batches;
using Rollup.Execution.Blocks;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Compression;
using Rollup.Testing;

namespace Rollup.Bridge.Tests.Batches;

public class BatchCodecTests
{
    private static readonly CompressionCodecId[] Codecs = [CompressionCodecId.None, CompressionCodecId.Lz4, CompressionCodecId.Zstd];

    [Fact]
    public void A_realistic_flow_comes_back_transaction_for_transaction_with_every_codec()
    {
        var flow = new ChainFlowGenerator(seed: 7, markets: 16, accounts: 60, signingDomain: RollupDomain.Create(31337, default));
        var blocks = new List<Block>();
        for (var i = 0; i < 12; i++)
        {
            blocks.Add(flow.Next(300));
        }
        var batch = new L2Batch(blocks);
        foreach (var codec in Codecs)
        {
            AssertSame(batch, BatchFrame.Decode(BatchFrame.Encode(batch, codec), BatchLimits.Default));
        }
    }

    [Fact]
    public void Random_batches_of_every_kind_and_extreme_values_round_trip()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var batch = RandomBatches.Create(seed);
            var codec = Codecs[Math.Abs(seed % Codecs.Length)];
            AssertSame(batch, BatchFrame.Decode(BatchFrame.Encode(batch, codec), BatchLimits.Default));
        }));
    }

    [Fact]
    public void The_payload_is_canonical_decoding_then_encoding_gives_the_same_bytes()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var payload = ColumnarBatchEncoder.Encode(RandomBatches.Create(seed));
            Assert.Equal(payload, ColumnarBatchEncoder.Encode(ColumnarBatchDecoder.Decode(payload, BatchLimits.Default)));
        }
    }

    [Fact]
    public void Every_truncation_of_a_frame_is_refused_with_a_format_error()
    {
        var frame = BatchFrame.Encode(RandomBatches.Create(seed: 3), CompressionCodecId.None);
        for (var length = 0; length < frame.Length; length++)
        {
            Assert.Throws<BatchFormatException>(() => BatchFrame.Decode(frame.AsSpan(0, length), BatchLimits.Default));
        }
    }

    [Fact]
    public void Corrupted_payloads_decode_or_fail_with_a_format_error_never_anything_else()
    {
        var random = new Random(11);
        for (var round = 0; round < 2000; round++)
        {
            var payload = ColumnarBatchEncoder.Encode(RandomBatches.Create(round % 40, maxBlocks: 3, maxTransactions: 10));
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
            {
                payload[random.Next(payload.Length)] ^= (byte)(1 << random.Next(8));
            }
            try
            {
                var batch = ColumnarBatchDecoder.Decode(payload, BatchLimits.Default);
                // Whatever survives must be canonical: it encodes back to the bytes it came from.
                Assert.Equal(payload, ColumnarBatchEncoder.Encode(batch));
            }
            catch (BatchFormatException)
            {
            }
        }
    }

    [Fact]
    public void Bytes_after_the_frame_body_or_a_column_are_refused()
    {
        var batch = RandomBatches.Create(seed: 5);
        var frame = BatchFrame.Encode(batch, CompressionCodecId.Zstd);
        Assert.Throws<BatchFormatException>(() => BatchFrame.Decode([.. frame, 0], BatchLimits.Default));
        var payload = ColumnarBatchEncoder.Encode(batch);
        Assert.Throws<BatchFormatException>(() => ColumnarBatchDecoder.Decode([.. payload, 0], BatchLimits.Default));
    }

    [Fact]
    public void A_frame_declaring_more_than_the_limit_is_refused_before_decompressing()
    {
        var payload = new byte[2 * 1024 * 1024];
        var frame = BatchFrame.Wrap(payload, CompressionCodecId.Zstd);
        var limits = new BatchLimits { MaxPayloadBytes = 1024 * 1024 };
        var error = Assert.Throws<BatchFormatException>(() => BatchFrame.Unwrap(frame, limits, out _));
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_inflates_past_its_declared_length_is_refused()
    {
        // A header claiming 1 KiB in front of a body of 1 MiB of zeros: a compression bomb in small.
        var bomb = BatchFrame.Wrap(new byte[1024 * 1024], CompressionCodecId.Lz4);
        bomb[4] = 0;
        bomb[5] = 0;
        bomb[6] = 4;
        bomb[7] = 0;
        Assert.Throws<BatchFormatException>(() => BatchFrame.Unwrap(bomb, BatchLimits.Default, out _));
    }

    [Fact]
    public void Counts_past_the_limits_are_refused()
    {
        var batch = RandomBatches.Create(seed: 9, maxBlocks: 6, maxTransactions: 40);
        var payload = ColumnarBatchEncoder.Encode(batch);
        Assert.Throws<BatchFormatException>(() => ColumnarBatchDecoder.Decode(payload, BatchLimits.Default with { MaxBlocks = batch.Blocks.Count - 1 }));
        Assert.Throws<BatchFormatException>(() => ColumnarBatchDecoder.Decode(payload, BatchLimits.Default with { MaxTransactions = batch.TransactionCount - 1 }));
        Assert.Throws<BatchFormatException>(() => BatchFrame.Decode(BatchFrame.Wrap(payload, CompressionCodecId.None), BatchLimits.Default with { MaxFrameBytes = payload.Length }));
    }

    [Fact]
    public void Unknown_magic_version_and_codec_are_named_in_the_error()
    {
        var frame = BatchFrame.Encode(RandomBatches.Create(seed: 1), CompressionCodecId.Lz4);
        var badMagic = (byte[])frame.Clone();
        badMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<BatchFormatException>(() => BatchFrame.Decode(badMagic, BatchLimits.Default)).Message, StringComparison.Ordinal);
        var badVersion = (byte[])frame.Clone();
        badVersion[2] = 2;
        Assert.Contains("version 2", Assert.Throws<BatchFormatException>(() => BatchFrame.Decode(badVersion, BatchLimits.Default)).Message, StringComparison.Ordinal);
        var badCodec = (byte[])frame.Clone();
        badCodec[3] = 9;
        Assert.Contains("codec 9", Assert.Throws<BatchFormatException>(() => BatchFrame.Decode(badCodec, BatchLimits.Default)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_that_are_not_consecutive_cannot_be_batched()
    {
        var batch = new L2Batch([new Block(1, 0, []), new Block(3, 0, [])]);
        Assert.Throws<ArgumentException>(() => ColumnarBatchEncoder.Encode(batch));
    }

    [Fact]
    public void Varints_are_read_only_in_their_shortest_form()
    {
        var position = 0;
        Assert.True(Varint.TryRead([0xAC, 0x02], ref position, out var value));
        Assert.Equal(300UL, value); // the protobuf documentation's example
        position = 0;
        Assert.False(Varint.TryRead([0x80, 0x00], ref position, out _)); // 0 written in two bytes
        position = 0;
        Assert.False(Varint.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], ref position, out _)); // 2^64 and up
        position = 0;
        Assert.True(Varint.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], ref position, out value));
        Assert.Equal(ulong.MaxValue, value);
        Assert.Equal(-1L, Varint.UnZigZag(1));
        Assert.Equal(1UL, Varint.ZigZag(-1));
        Assert.Equal(long.MinValue, Varint.UnZigZag(Varint.ZigZag(long.MinValue)));
    }

    /// <summary>Transactions compared through the wire codec: an encoding no one here wrote for batches.</summary>
    internal static void AssertSame(L2Batch expected, L2Batch actual)
    {
        Assert.Equal(expected.MarketRoots, actual.MarketRoots);
        Assert.Equal(expected.Blocks.Count, actual.Blocks.Count);
        for (var b = 0; b < expected.Blocks.Count; b++)
        {
            var (want, got) = (expected.Blocks[b], actual.Blocks[b]);
            Assert.Equal(want.Number, got.Number);
            Assert.Equal(want.Timestamp, got.Timestamp);
            Assert.Equal(want.Transactions.Length, got.Transactions.Length);
            for (var t = 0; t < want.Transactions.Length; t++)
            {
                Assert.Equal(Hex.ToHex(Row(want.Transactions[t])), Hex.ToHex(Row(got.Transactions[t])));
            }
        }
    }

    private static byte[] Row(in Transaction tx)
    {
        var bytes = new byte[TransactionCodec.GetEncodedLength(tx)];
        TransactionCodec.Encode(tx, bytes);
        return bytes;
    }
}
