using System.Globalization;
using System.Text.Json.Nodes;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using Nethereum.Util;
using Rollup.Execution.Transactions;
using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Tests.Transactions;

/// <summary>
/// Nethereum's EIP-712 signer (its own encoder, BouncyCastle's Keccak, its own secp256k1) as one more implementation
/// beside ethers: for transactions of every signed kind, given as eth_signTypedData_v4 JSON, it hashes to our digest,
/// signs the same RFC 6979 signature, and recovers the account from ours.
/// </summary>
public sealed class NethereumSigningTests
{
    [Theory]
    [MemberData(nameof(TransactionSigningTests.SignedKinds), MemberType = typeof(TransactionSigningTests))]
    public void EverySignedKind_DigestSignatureAndRecovery_MatchNethereum(TxKind kind)
    {
        var random = new Random(2026 + (int)kind);
        var domain = RollupDomain.Create((ulong)random.NextInt64(1, long.MaxValue), TransactionSamples.RandomAddress(random));
        var signer = new Eip712TypedDataSigner();
        for (var i = 0; i < 8; i++)
        {
            var key = TransactionSamples.RandomKey(random);
            var tx = i == 0 ? TransactionSamples.Max(kind, key.Address) : TransactionSamples.Random(random, kind, key.Address);
            var json = TypedDataJson(tx, domain);

            var theirDigest = Sha3Keccack.Current.CalculateHash(signer.EncodeTypedData(json));
            Assert.Equal(Hash256.Parse("0x" + Convert.ToHexString(theirDigest)), TransactionSigning.SigningDigest(tx, domain));

            var theirSignature = Hex.Parse(signer.SignTypedDataV4(json, new EthECKey(key.ToHexUnsafe())));
            var ours = TransactionSigning.Sign(tx, key, domain).Signature.Bytes;
            Assert.Equal(theirSignature.AsSpan(0, 64).ToArray(), ours[..64].ToArray());
            Assert.Equal(theirSignature[64], ours[64] + 27);

            var oursForThem = "0x" + Convert.ToHexString(ours[..64]) + (ours[64] + 27).ToString("x2", CultureInfo.InvariantCulture);
            Assert.Equal(tx.Account, Address.Parse(signer.RecoverFromSignatureHashV4(theirDigest, oursForThem)));
        }
    }

    private static string TypedDataJson(in Transaction tx, Rollup.Primitives.Eip712.Eip712Domain domain)
    {
        var primaryType = TransactionSigning.PrimaryType(tx.Kind);
        var types = TransactionSigningTests.TypesJson(primaryType);
        types["EIP712Domain"] = new JsonArray(
            new JsonObject { ["name"] = "name", ["type"] = "string" },
            new JsonObject { ["name"] = "version", ["type"] = "string" },
            new JsonObject { ["name"] = "chainId", ["type"] = "uint256" },
            new JsonObject { ["name"] = "verifyingContract", ["type"] = "address" });
        return new JsonObject
        {
            ["types"] = types,
            ["primaryType"] = primaryType,
            ["domain"] = TransactionSigningTests.DomainJson(domain),
            ["message"] = TransactionSigningTests.Message(tx),
        }.ToJsonString();
    }
}
