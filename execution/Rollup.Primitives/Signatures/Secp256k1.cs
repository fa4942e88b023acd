using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Rollup.Primitives.Signatures.Native;

namespace Rollup.Primitives.Signatures;

/// <summary>
/// ECDSA over secp256k1 as Ethereum uses it: 65-byte signatures r ‖ s ‖ v over a 32-byte hash,
/// the signer identified by the address its public key hashes to. Thread-safe: one randomized
/// context serves every thread.
/// </summary>
public static unsafe class Secp256k1
{
    public const int PrivateKeyLength = 32;
    public const int SignatureLength = 65;
    public const int HashLength = 32;
    public const int UncompressedPublicKeyLength = 65;

    private static readonly ContextHandle Context = ContextHandle.Create();

    // The group order n and n/2, big-endian. s above n/2 is the malleable twin (EIP-2).
    private static ReadOnlySpan<byte> CurveOrder =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ];

    private static ReadOnlySpan<byte> HalfCurveOrder =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
    ];

    /// <summary>True when the 32 bytes are a usable private key (non-zero, below the group order).</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeyLength)
        {
            return false;
        }
        fixed (byte* key = privateKey)
        {
            return Secp256k1Native.SecretKeyVerify(Context.Value, key) == 1;
        }
    }

    /// <summary>Writes the 65-byte uncompressed public key (0x04 ‖ x ‖ y).</summary>
    public static void GetPublicKey(ReadOnlySpan<byte> privateKey, Span<byte> uncompressed)
    {
        RequireLength(uncompressed.Length, UncompressedPublicKeyLength, "public key buffer");
        RequirePrivateKey(privateKey);
        var publicKey = stackalloc byte[Secp256k1Native.PublicKeyStructSize];
        nuint length = UncompressedPublicKeyLength;
        fixed (byte* key = privateKey)
        fixed (byte* output = uncompressed)
        {
            if (Secp256k1Native.PublicKeyCreate(Context.Value, publicKey, key) != 1)
            {
                throw new SignatureException(SignatureError.None, "private key is out of range");
            }
            _ = Secp256k1Native.PublicKeySerialize(Context.Value, output, &length, publicKey, Secp256k1Native.EcUncompressed);
        }
    }

    public static Address GetAddress(ReadOnlySpan<byte> privateKey)
    {
        Span<byte> publicKey = stackalloc byte[UncompressedPublicKeyLength];
        GetPublicKey(privateKey, publicKey);
        return Address.FromPublicKey(publicKey[1..]);
    }

    /// <summary>Signs a 32-byte hash deterministically (RFC 6979); s is always low, v is 0 or 1.</summary>
    public static void Sign(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> privateKey, Span<byte> signature)
    {
        RequireLength(hash.Length, HashLength, "hash");
        RequireLength(signature.Length, SignatureLength, "signature buffer");
        RequirePrivateKey(privateKey);
        var recoverable = stackalloc byte[Secp256k1Native.RecoverableSignatureStructSize];
        int recoveryId;
        fixed (byte* message = hash)
        fixed (byte* key = privateKey)
        fixed (byte* output = signature)
        {
            if (Secp256k1Native.SignRecoverable(Context.Value, recoverable, message, key, 0, 0) != 1)
            {
                throw new SignatureException(SignatureError.None, "signing failed: private key is out of range");
            }
            _ = Secp256k1Native.RecoverableSignatureSerializeCompact(Context.Value, output, &recoveryId, recoverable);
        }
        signature[64] = (byte)recoveryId;
    }

    /// <summary>
    /// Recovers the signer of <paramref name="hash"/>. Refuses (without throwing) a signature that is not
    /// 65 bytes, has v other than 0/1/27/28, has r or s out of range, or a high s.
    /// </summary>
    public static SignatureError TryRecoverAddress(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, out Address signer)
    {
        signer = default;
        if (hash.Length != HashLength || signature.Length != SignatureLength)
        {
            return SignatureError.BadLength;
        }
        var recoveryId = NormalizeRecoveryId(signature[64]);
        if (recoveryId < 0)
        {
            return SignatureError.BadRecoveryId;
        }
        var check = CheckScalars(signature[..64]);
        if (check != SignatureError.None)
        {
            return check;
        }

        var recoverable = stackalloc byte[Secp256k1Native.RecoverableSignatureStructSize];
        var publicKey = stackalloc byte[Secp256k1Native.PublicKeyStructSize];
        var serialized = stackalloc byte[UncompressedPublicKeyLength];
        nuint length = UncompressedPublicKeyLength;
        fixed (byte* input = signature)
        fixed (byte* message = hash)
        {
            if (Secp256k1Native.RecoverableSignatureParseCompact(Context.Value, recoverable, input, recoveryId) != 1)
            {
                return SignatureError.BadScalar;
            }
            if (Secp256k1Native.Recover(Context.Value, publicKey, recoverable, message) != 1)
            {
                return SignatureError.RecoveryFailed;
            }
        }
        _ = Secp256k1Native.PublicKeySerialize(Context.Value, serialized, &length, publicKey, Secp256k1Native.EcUncompressed);
        signer = Address.FromPublicKey(new ReadOnlySpan<byte>(serialized + 1, 64));
        return SignatureError.None;
    }

    /// <summary>Like <see cref="TryRecoverAddress"/>, but a refused signature throws a <see cref="SignatureException"/> with the reason.</summary>
    public static Address RecoverAddress(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        var error = TryRecoverAddress(hash, signature, out var signer);
        return error == SignatureError.None ? signer : throw new SignatureException(error, Describe(error));
    }

    /// <summary>Verifies r ‖ s (64 or 65 bytes; v ignored) against a public key (33 or 65 bytes). High s fails.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> publicKey)
    {
        if (hash.Length != HashLength || signature.Length < 64 || (publicKey.Length != 33 && publicKey.Length != 65))
        {
            return false;
        }
        if (CheckScalars(signature[..64]) != SignatureError.None)
        {
            return false;
        }
        var parsedSignature = stackalloc byte[Secp256k1Native.SignatureStructSize];
        var parsedKey = stackalloc byte[Secp256k1Native.PublicKeyStructSize];
        fixed (byte* input = signature)
        fixed (byte* key = publicKey)
        fixed (byte* message = hash)
        {
            return Secp256k1Native.SignatureParseCompact(Context.Value, parsedSignature, input) == 1
                && Secp256k1Native.PublicKeyParse(Context.Value, parsedKey, key, (nuint)publicKey.Length) == 1
                && Secp256k1Native.Verify(Context.Value, parsedSignature, message, parsedKey) == 1;
        }
    }

    public static string Describe(SignatureError error) => error switch
    {
        SignatureError.None => "valid",
        SignatureError.BadLength => $"a signature is {SignatureLength} bytes (r, s, v) over a {HashLength}-byte hash",
        SignatureError.BadRecoveryId => "signature v must be 0, 1, 27 or 28",
        SignatureError.BadScalar => "signature r or s is zero or not below the curve order",
        SignatureError.HighS => "signature s is in the upper half of the curve order (malleable, EIP-2)",
        SignatureError.RecoveryFailed => "no public key recovers from this signature",
        _ => error.ToString(),
    };

    private static int NormalizeRecoveryId(byte v) => v switch
    {
        0 or 1 => v,
        27 or 28 => v - 27,
        _ => -1,
    };

    private static SignatureError CheckScalars(ReadOnlySpan<byte> rs)
    {
        var r = rs[..32];
        var s = rs[32..64];
        if (r.IndexOfAnyExcept((byte)0) < 0 || s.IndexOfAnyExcept((byte)0) < 0
            || r.SequenceCompareTo(CurveOrder) >= 0 || s.SequenceCompareTo(CurveOrder) >= 0)
        {
            return SignatureError.BadScalar;
        }
        return s.SequenceCompareTo(HalfCurveOrder) > 0 ? SignatureError.HighS : SignatureError.None;
    }

    private static void RequirePrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (!IsValidPrivateKey(privateKey))
        {
            throw new SignatureException(SignatureError.None, "a private key is 32 bytes, non-zero and below the secp256k1 group order");
        }
    }

    private static void RequireLength(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{what} must be {expected} bytes, got {actual}");
        }
    }

    /// <summary>The library context, created once and randomized against side channels before first use.</summary>
    private sealed class ContextHandle : SafeHandle
    {
        private ContextHandle()
            : base(0, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == 0;

        public nint Value => handle;

        public static ContextHandle Create()
        {
            var context = new ContextHandle();
            context.SetHandle(Secp256k1Native.ContextCreate(Secp256k1Native.ContextSign | Secp256k1Native.ContextVerify));
            if (context.IsInvalid)
            {
                throw new InvalidOperationException("libsecp256k1 could not create a context");
            }
            Span<byte> seed = stackalloc byte[32];
            RandomNumberGenerator.Fill(seed);
            fixed (byte* seedPointer = seed)
            {
                if (Secp256k1Native.ContextRandomize(context.handle, seedPointer) != 1)
                {
                    throw new InvalidOperationException("libsecp256k1 could not randomize its context");
                }
            }
            return context;
        }

        protected override bool ReleaseHandle()
        {
            Secp256k1Native.ContextDestroy(handle);
            return true;
        }
    }
}
