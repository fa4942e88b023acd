using BenchmarkDotNet.Attributes;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;

namespace Rollup.Bench;

/// <summary>
/// What the tx log, L1 batches and admission cost per signed order, on one core: its binary encoding and decoding
/// (docs/transactions.md) and its EIP-712 signing digest. All three should allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class TransactionBenchmarks
{
    private readonly Eip712Domain _domain = RollupDomain.Create(31337, Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
    private readonly byte[] _buffer = new byte[TransactionCodec.MaxEncodedLength];
    private Transaction _order;
    private int _length;

    [GlobalSetup]
    public void Setup()
    {
        var key = PrivateKey.Generate();
        var order = new PlaceOrder(key.Address, 7, true, 3_000_000, 25, OrderKind.Limit, TimeInForce.Gtc, false, 42, 1).ToTransaction();
        _order = TransactionSigning.Sign(order, key, _domain);
        _length = TransactionCodec.Encode(_order, _buffer);
    }

    [Benchmark]
    public int EncodeOrder() => TransactionCodec.Encode(_order, _buffer);

    [Benchmark]
    public Transaction DecodeOrder()
    {
        TransactionCodec.TryDecode(_buffer.AsSpan(0, _length), out var tx, out _, out _);
        return tx;
    }

    [Benchmark]
    public Hash256 OrderSigningDigest() => TransactionSigning.SigningDigest(_order, _domain);
}
