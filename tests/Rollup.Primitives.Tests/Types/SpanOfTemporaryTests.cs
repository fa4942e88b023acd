using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Primitives.Tests.Types;

/// <summary>
/// The bytes of values that are temporaries of one call: each span must read its own value. Before Bytes was
/// [UnscopedRef] the compiler reused one temporary for both hashes below, and the first span read the second hash.
/// </summary>
public sealed class SpanOfTemporaryTests
{
    private static Hash256 HashOf(int i) => Keccak256.Compute(BitConverter.GetBytes(i));

    private static Address AddressOf(int i) => Address.FromPublicKey(Keccak256.Compute(BitConverter.GetBytes(i)).ToArray().Concat(new byte[32]).ToArray());

    private static byte[][] Both(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => [first.ToArray(), second.ToArray()];

    [Fact]
    public void TwoHashTemporariesInOneCall_EachSpanReadsItsOwnHash()
    {
        for (var i = 0; i < 100; i++)
        {
            var both = Both(HashOf(i).Bytes, HashOf(i + 1).Bytes);
            Assert.Equal(HashOf(i).ToArray(), both[0]);
            Assert.Equal(HashOf(i + 1).ToArray(), both[1]);
        }
    }

    [Fact]
    public void TwoAddressTemporariesInOneCall_EachSpanReadsItsOwnAddress()
    {
        var both = Both(AddressOf(1).Bytes, AddressOf(2).Bytes);
        Assert.Equal(AddressOf(1).Bytes.ToArray(), both[0]);
        Assert.Equal(AddressOf(2).Bytes.ToArray(), both[1]);
    }

    [Fact]
    public void TwoSignatureTemporariesInOneCall_EachSpanReadsItsOwnSignature()
    {
        var key = PrivateKey.Parse("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
        Signature SignatureOf(int i) => new(key.Sign(HashOf(i).ToArray()));
        var both = Both(SignatureOf(1).Bytes, SignatureOf(2).Bytes);
        Assert.Equal(SignatureOf(1).Bytes.ToArray(), both[0]);
        Assert.Equal(SignatureOf(2).Bytes.ToArray(), both[1]);
    }
}
