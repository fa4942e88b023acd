using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Nethereum.ABI.EIP712;
using Nethereum.Signer;
using Nethereum.Util;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Bench;

/// <summary>
/// What every signed transaction costs through our primitives against what Nethereum ships, in the same run: signer
/// recovery (libsecp256k1 through our binding against Nethereum's EthECKey, which recovers in managed code through
/// BouncyCastle), Keccak-256 of 64 bytes (our unrolled permutation against Nethereum's Sha3Keccack, BouncyCastle's
/// digest), and an order's EIP-712 signing digest (our fixed-layout encoder against Nethereum's typed-data encoder on
/// a pre-parsed document). docs/dependencies.md keeps ours only where these show it clearly ahead.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LibraryChoiceBenchmarks
{
    private static readonly Eip712Domain Domain = RollupDomain.Create(31337, Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly byte[] _digest = new byte[32];
    private readonly byte[] _signature = new byte[Secp256k1.SignatureLength];
    private readonly byte[] _input64 = new byte[64];
    private readonly byte[] _output = new byte[32];
    private EthECDSASignature _nethereumSignature = null!;
    private Transaction _order;
    private TypedDataRaw _orderTypedData = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(5).NextBytes(_digest);
        new Random(1).NextBytes(_input64);
        var key = PrivateKey.Generate();
        key.Sign(_digest, _signature);
        _nethereumSignature = EthECDSASignatureFactory.FromComponents(_signature[..32], _signature[32..64], (byte)(_signature[64] + 27));
        _order = new PlaceOrder(key.Address, 1, true, 5_000_000, 1_000, OrderKind.Limit, TimeInForce.Gtc, false, 42, 7).ToTransaction();
        _orderTypedData = TypedDataRawJsonConversion.DeserialiseJsonToRawTypedData(OrderJson(_order));
        if (!RecoverNethereum().Equals(key.Address.ToString(), StringComparison.OrdinalIgnoreCase)
            || !new Hash256(Eip712DigestNethereum()).Equals(Eip712DigestOurs()))
        {
            throw new InvalidOperationException("the two implementations disagree: nothing to compare");
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("recover")]
    public Address RecoverLibsecp256k1()
    {
        Secp256k1.TryRecoverAddress(_digest, _signature, out var signer);
        return signer;
    }

    [Benchmark, BenchmarkCategory("recover")]
    public string RecoverNethereum() => EthECKey.RecoverFromSignature(_nethereumSignature, _digest).GetPublicAddress();

    [Benchmark(Baseline = true), BenchmarkCategory("keccak")]
    public void Keccak64Ours() => Keccak256.Compute(_input64, _output);

    [Benchmark, BenchmarkCategory("keccak")]
    public byte[] Keccak64Nethereum() => Sha3Keccack.Current.CalculateHash(_input64);

    [Benchmark(Baseline = true), BenchmarkCategory("eip712")]
    public Hash256 Eip712DigestOurs() => TransactionSigning.SigningDigest(_order, Domain);

    [Benchmark, BenchmarkCategory("eip712")]
    public byte[] Eip712DigestNethereum() => Sha3Keccack.Current.CalculateHash(Eip712TypedDataEncoder.Current.EncodeTypedDataRaw(_orderTypedData));

    private static string OrderJson(in Transaction order) => $$$"""
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
        "Order":[{"name":"account","type":"address"},{"name":"market","type":"uint32"},{"name":"isBuy","type":"bool"},{"name":"price","type":"uint64"},{"name":"size","type":"uint64"},{"name":"kind","type":"uint8"},{"name":"timeInForce","type":"uint8"},{"name":"reduceOnly","type":"bool"},{"name":"clientOrderId","type":"uint64"},{"name":"nonce","type":"uint64"}]},
        "primaryType":"Order","domain":{"name":"{{{RollupDomain.Name}}}","version":"{{{RollupDomain.Version}}}","chainId":31337,"verifyingContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"},
        "message":{"account":"{{{order.Account.ToChecksumString()}}}","market":1,"isBuy":true,"price":"5000000","size":"1000","kind":0,"timeInForce":0,"reduceOnly":false,"clientOrderId":"42","nonce":"7"}}
        """;
}
