using BenchmarkDotNet.Attributes;
using Rollup.Primitives.Compression;
using Rollup.Testing;

namespace Rollup.Bench;

/// <summary>
/// Compresses and decompresses one sequencer batch, 10,000 signed orders of 108 bytes (1.08 MB), with each codec at
/// its default level, through the allocation-free span APIs. The compress run of each codec prints its ratio.
/// </summary>
[MemoryDiagnoser]
public class CompressionBenchmarks
{
    private const int OrderCount = 10_000;

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
        _batch = SampleOrderBatches.SignedOrders(OrderCount, seed: 1);
        _compressed = _codec.Compress(_batch);
        _compressBuffer = new byte[_codec.MaxCompressedLength(_batch.Length)];
        _decompressBuffer = new byte[_batch.Length];
    }

    [Benchmark]
    public int Compress() => _codec.Compress(_batch, _compressBuffer);

    [Benchmark]
    public int Decompress() => _codec.Decompress(_compressed, _decompressBuffer);
}
