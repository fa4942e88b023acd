using System.Security.Cryptography;

namespace Rollup.Primitives.Signatures;

/// <summary>A secp256k1 private key with its address, for signing. Never printed by <see cref="ToString"/>.</summary>
public sealed class PrivateKey
{
    private readonly byte[] _bytes;

    public PrivateKey(ReadOnlySpan<byte> bytes)
    {
        if (!Secp256k1.IsValidPrivateKey(bytes))
        {
            throw new SignatureException(SignatureError.None, "a private key is 32 bytes, non-zero and below the secp256k1 group order");
        }
        _bytes = bytes.ToArray();
        Address = Secp256k1.GetAddress(_bytes);
    }

    public Address Address { get; }

    public static PrivateKey Parse(string hex) => new(Hex.Parse(hex));

    public static PrivateKey Generate()
    {
        Span<byte> bytes = stackalloc byte[Secp256k1.PrivateKeyLength];
        do
        {
            RandomNumberGenerator.Fill(bytes);
        }
        while (!Secp256k1.IsValidPrivateKey(bytes));
        return new PrivateKey(bytes);
    }

    /// <summary>Signs a 32-byte hash into 65 bytes r ‖ s ‖ v with v = 0 or 1.</summary>
    public void Sign(ReadOnlySpan<byte> hash, Span<byte> signature) => Secp256k1.Sign(hash, _bytes, signature);

    public byte[] Sign(ReadOnlySpan<byte> hash)
    {
        var signature = new byte[Secp256k1.SignatureLength];
        Sign(hash, signature);
        return signature;
    }

    /// <summary>The key as hex, for tools that must hand it on (dev keys). Keep it out of logs.</summary>
    public string ToHexUnsafe() => Hex.ToHex(_bytes);

    public override string ToString() => $"PrivateKey({Address})";
}
