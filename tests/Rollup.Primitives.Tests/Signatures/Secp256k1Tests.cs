using System.Numerics;
using System.Text.Json.Nodes;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;
using Rollup.Testing;

namespace Rollup.Primitives.Tests.Signatures;

public class Secp256k1Tests
{
    private static readonly BigInteger CurveOrder =
        BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void GetAddress_PrivateKeyOne_IsWellKnownAddress()
    {
        var key = new byte[32];
        key[31] = 1;
        Assert.Equal("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", Secp256k1.GetAddress(key).ToChecksumString());
    }

    [Fact]
    public void Recover_SignaturesMadeByEthers_RecoverSignerAndMatchOurs()
    {
        var random = new Random(2024);
        var items = new JsonArray();
        var keys = new List<byte[]>();
        var messages = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            var key = RandomKey(random);
            var message = new byte[random.Next(0, 300)];
            random.NextBytes(message);
            keys.Add(key);
            messages.Add(message);
            items.Add(new JsonObject { ["key"] = Hex.ToHex(key), ["message"] = Hex.ToHex(message) });
        }
        var results = EthersOracle.Ask(new JsonObject { ["op"] = "sign", ["items"] = items }).GetProperty("results");

        var index = 0;
        foreach (var result in results.EnumerateArray())
        {
            var expectedSigner = Address.Parse(result.GetProperty("address").GetString()!);
            var digest = Hash256.Parse(result.GetProperty("digest").GetString()!);
            var signature = Hex.Parse(result.GetProperty("signature").GetString()!);

            Assert.Equal(digest, Keccak256.Compute(messages[index]));
            Assert.Equal(expectedSigner, Secp256k1.GetAddress(keys[index]));
            Assert.Equal(SignatureError.None, Secp256k1.TryRecoverAddress(digest.Bytes, signature, out var signer));
            Assert.Equal(expectedSigner, signer);

            // Both sides use RFC 6979 nonces and low s: our signature is byte for byte ethers' (v as 0/1).
            var ours = new byte[65];
            Secp256k1.Sign(digest.Bytes, keys[index], ours);
            Assert.Equal(signature[..64], ours[..64]);
            Assert.Equal(signature[64] - 27, ours[64]);
            index++;
        }
        Assert.Equal(64, index);
    }

    [Fact]
    public void Recover_OwnSignatures_RecoverSignerWithBothVEncodings()
    {
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var key = new PrivateKey(RandomKey(random));
            var hash = RandomHash(random);
            var signature = key.Sign(hash);
            Assert.Equal(key.Address, Secp256k1.RecoverAddress(hash, signature));
            signature[64] += 27;
            Assert.Equal(key.Address, Secp256k1.RecoverAddress(hash, signature));
        }
    }

    [Fact]
    public void Recover_HighS_RefusedThoughTheCurveWouldAccept()
    {
        var random = new Random(8);
        var key = new PrivateKey(RandomKey(random));
        var hash = RandomHash(random);
        var signature = key.Sign(hash);

        // (r, n - s, v ^ 1) is the same signature's malleable twin.
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var twin = (byte[])signature.Clone();
        (CurveOrder - s).TryWriteBytes(twin.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: true);
        twin[64] ^= 1;

        Assert.Equal(SignatureError.HighS, Secp256k1.TryRecoverAddress(hash, twin, out _));
        var error = Assert.Throws<SignatureException>(() => Secp256k1.RecoverAddress(hash, twin));
        Assert.Equal(SignatureError.HighS, error.Error);
        Assert.Contains("EIP-2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(26)]
    [InlineData(29)]
    [InlineData(255)]
    public void Recover_BadV_Refused(byte v)
    {
        var random = new Random(9);
        var hash = RandomHash(random);
        var signature = new PrivateKey(RandomKey(random)).Sign(hash);
        signature[64] = v;
        Assert.Equal(SignatureError.BadRecoveryId, Secp256k1.TryRecoverAddress(hash, signature, out _));
    }

    [Fact]
    public void Recover_MalformedSignatures_RefusedWithReason()
    {
        var random = new Random(10);
        var hash = RandomHash(random);
        var good = new PrivateKey(RandomKey(random)).Sign(hash);

        Assert.Equal(SignatureError.BadLength, Secp256k1.TryRecoverAddress(hash, good.AsSpan(..64), out _));
        Assert.Equal(SignatureError.BadLength, Secp256k1.TryRecoverAddress(hash.AsSpan(..31), good, out _));

        var zeroR = (byte[])good.Clone();
        zeroR.AsSpan(0, 32).Clear();
        Assert.Equal(SignatureError.BadScalar, Secp256k1.TryRecoverAddress(hash, zeroR, out _));

        var zeroS = (byte[])good.Clone();
        zeroS.AsSpan(32, 32).Clear();
        Assert.Equal(SignatureError.BadScalar, Secp256k1.TryRecoverAddress(hash, zeroS, out _));

        var hugeR = (byte[])good.Clone();
        hugeR.AsSpan(0, 32).Fill(0xFF);
        Assert.Equal(SignatureError.BadScalar, Secp256k1.TryRecoverAddress(hash, hugeR, out _));
    }

    [Fact]
    public void Recover_TamperedHash_GivesAnotherSigner()
    {
        var random = new Random(11);
        var key = new PrivateKey(RandomKey(random));
        var hash = RandomHash(random);
        var signature = key.Sign(hash);
        hash[0] ^= 1;
        var error = Secp256k1.TryRecoverAddress(hash, signature, out var signer);
        Assert.True(error != SignatureError.None || signer != key.Address);
    }

    [Fact]
    public void Verify_WithPublicKey_AcceptsOwnAndRefusesOthers()
    {
        var random = new Random(12);
        var key = RandomKey(random);
        var publicKey = new byte[65];
        Secp256k1.GetPublicKey(key, publicKey);
        var hash = RandomHash(random);
        var signature = new byte[65];
        Secp256k1.Sign(hash, key, signature);

        Assert.True(Secp256k1.Verify(hash, signature, publicKey));
        hash[5] ^= 0x10;
        Assert.False(Secp256k1.Verify(hash, signature, publicKey));
    }

    [Fact]
    public void PrivateKey_OutOfRange_Refused()
    {
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[32]));
        Assert.False(Secp256k1.IsValidPrivateKey(CurveOrder.ToByteArray(isUnsigned: true, isBigEndian: true)));
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[31]));
        Assert.Throws<SignatureException>(() => new PrivateKey(new byte[32]));
    }

    private static byte[] RandomKey(Random random)
    {
        var key = new byte[32];
        do
        {
            random.NextBytes(key);
        }
        while (!Secp256k1.IsValidPrivateKey(key));
        return key;
    }

    private static byte[] RandomHash(Random random)
    {
        var hash = new byte[32];
        random.NextBytes(hash);
        return hash;
    }
}
