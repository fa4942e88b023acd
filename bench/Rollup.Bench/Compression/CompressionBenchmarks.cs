using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Rollup.Primitives.Compression;

namespace Rollup.Bench;

/// <summary>
/// Compresses and decompresses one sequencer batch, 10,000 signed orders of 108 bytes (1.08 MB), with each codec at
/// its default level, through the allocation-free span APIs. The compress run of each codec prints its ratio.
/// </summary>
[MemoryDiagnoser]
public class CompressionBenchmarks
{
    private const int OrderCount = 10_000;
    private const int OrderLength = 108;

    private ICompressionCodec _codec = CompressionCodecs.None;
    private byte[] _batch = [];
    private byte[] _compressed = [];
    private byte[] _compressBuffer = [];
    private byte[] _decompressBuffer = [];

    [Params(CompressionCodecId.None, CompressionCodecId.Lz4, CompressionCodecId.Zstd)]
    public CompressionCodecId Codec { get; set; }

    [GlobalSetup(Target = nameof(Compress))]
    public void SetupCompress()
    {
        Setup();
        Console.WriteLine(
            $"// compression ratio {Codec}: {_batch.Length} -> {_compressed.Length} bytes = {(double)_batch.Length / _compressed.Length:F3}:1 ({100.0 * _compressed.Length / _batch.Length:F1}% of original)");
    }

    [GlobalSetup(Target = nameof(Decompress))]
    public void Setup()
    {
        _codec = CompressionCodecs.Get(Codec);
        _batch = SignedOrders(OrderCount, seed: 1);
        _compressed = _codec.Compress(_batch);
        _compressBuffer = new byte[_codec.MaxCompressedLength(_batch.Length)];
        _decompressBuffer = new byte[_batch.Length];
    }

    [Benchmark]
    public int Compress() => _codec.Compress(_batch, _compressBuffer);

    [Benchmark]
    public int Decompress() => _codec.Decompress(_compressed, _decompressBuffer);

    /// <summary>65 random signature bytes (r, s, v), then small structured fields, as the sequencer batches them.</summary>
    private static byte[] SignedOrders(int count, int seed)
    {
        var random = new Random(seed);
        var batch = new byte[count * OrderLength];
        var nonces = new ulong[512];
        for (var i = 0; i < count; i++)
        {
            var order = batch.AsSpan(i * OrderLength, OrderLength);
            random.NextBytes(order[..64]);
            order[64] = (byte)(27 + random.Next(2));
            var account = random.Next(nonces.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(order[65..], ++nonces[account]);
            BinaryPrimitives.WriteUInt32LittleEndian(order[73..], (uint)(10_000 + account));
            BinaryPrimitives.WriteUInt16LittleEndian(order[77..], (ushort)random.Next(16));
            order[79] = (byte)random.Next(2);
            order[80] = (byte)random.Next(4);
            BinaryPrimitives.WriteUInt64LittleEndian(order[81..], (ulong)(3_000_000 + random.Next(-500, 500)));
            BinaryPrimitives.WriteUInt64LittleEndian(order[89..], (ulong)random.Next(1, 10_000));
            BinaryPrimitives.WriteUInt64LittleEndian(order[97..], (ulong)(1_750_000_000 + (i / 100) + random.Next(60)));
            BinaryPrimitives.WriteUInt16LittleEndian(order[105..], (ushort)(random.Next(3) * 5));
            order[107] = (byte)random.Next(4);
        }
        return batch;
    }
}
