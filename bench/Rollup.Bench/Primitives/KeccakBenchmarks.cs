using BenchmarkDotNet.Attributes;
using Rollup.Primitives.Hashing;

namespace Rollup.Bench;

/// <summary>Keccak-256 on one core. Goal: at least 1.5M hashes/s of 64 bytes on this machine.</summary>
[MemoryDiagnoser]
public class KeccakBenchmarks
{
    private readonly byte[] _input64 = new byte[64];
    private readonly byte[] _input1K = new byte[1024];
    private readonly byte[] _output = new byte[32];

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_input64);
        new Random(2).NextBytes(_input1K);
    }

    [Benchmark]
    public void Keccak64Bytes() => Keccak256.Compute(_input64, _output);

    [Benchmark]
    public void Keccak1KiB() => Keccak256.Compute(_input1K, _output);
}
