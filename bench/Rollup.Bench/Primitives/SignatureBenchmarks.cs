using BenchmarkDotNet.Attributes;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;

namespace Rollup.Bench;

/// <summary>What admitting one signed order costs on one core: its EIP-712 digest and the signer's recovery.</summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private readonly byte[] _signature = new byte[Secp256k1.SignatureLength];
    private readonly Eip712Domain _domain = RollupDomain.Create(31337, Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
    private PlaceOrder _order;
    private Hash256 _digest;

    [GlobalSetup]
    public void Setup()
    {
        var key = PrivateKey.Generate();
        _order = new PlaceOrder(key.Address, 7, true, 1_000_000, 25, OrderKind.Limit, TimeInForce.Gtc, false, 42, 1);
        _digest = _order.SigningDigest(_domain);
        key.Sign(_digest.Bytes, _signature);
    }

    [Benchmark]
    public Hash256 OrderDigest() => _order.SigningDigest(_domain);

    [Benchmark]
    public Address RecoverSigner()
    {
        Secp256k1.TryRecoverAddress(_digest.Bytes, _signature, out var signer);
        return signer;
    }
}
