using BenchmarkDotNet.Attributes;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Bench;

/// <summary>Recovering one signer on one core: the cost every signed transaction pays at admission or in a validator.</summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private readonly byte[] _signature = new byte[Secp256k1.SignatureLength];
    private readonly byte[] _digest = new byte[32];

    [GlobalSetup]
    public void Setup()
    {
        new Random(5).NextBytes(_digest);
        PrivateKey.Generate().Sign(_digest, _signature);
    }

    [Benchmark]
    public Address RecoverSigner()
    {
        Secp256k1.TryRecoverAddress(_digest, _signature, out var signer);
        return signer;
    }
}
