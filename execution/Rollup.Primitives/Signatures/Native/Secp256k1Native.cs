using System.Runtime.InteropServices;

namespace Rollup.Primitives.Signatures.Native;

/// <summary>The part of libsecp256k1 (Debian libsecp256k1-1, with the recovery module) that we call.</summary>
/// <remarks>
/// The library aborts the process on an illegal argument (a null pointer, a recovery id out of 0..3),
/// so callers validate lengths and ids before any call here.
/// </remarks>
internal static unsafe partial class Secp256k1Native
{
    private const string Library = "libsecp256k1.so.1";

    // The serialize functions always return 1 (documented in secp256k1.h); their results are discarded.

    public const uint ContextSign = (1 << 0) | (1 << 9);
    public const uint ContextVerify = (1 << 0) | (1 << 8);
    public const uint EcUncompressed = 1 << 1;
    public const uint EcCompressed = (1 << 1) | (1 << 8);

    /// <summary>Opaque sizes from secp256k1.h: secp256k1_pubkey is 64 bytes, a recoverable signature 65.</summary>
    public const int PublicKeyStructSize = 64;
    public const int SignatureStructSize = 64;
    public const int RecoverableSignatureStructSize = 65;

    [LibraryImport(Library, EntryPoint = "secp256k1_context_create")]
    public static partial nint ContextCreate(uint flags);

    [LibraryImport(Library, EntryPoint = "secp256k1_context_destroy")]
    public static partial void ContextDestroy(nint context);

    [LibraryImport(Library, EntryPoint = "secp256k1_context_randomize")]
    public static partial int ContextRandomize(nint context, byte* seed32);

    [LibraryImport(Library, EntryPoint = "secp256k1_ec_seckey_verify")]
    public static partial int SecretKeyVerify(nint context, byte* secretKey32);

    [LibraryImport(Library, EntryPoint = "secp256k1_ec_pubkey_create")]
    public static partial int PublicKeyCreate(nint context, byte* publicKey, byte* secretKey32);

    [LibraryImport(Library, EntryPoint = "secp256k1_ec_pubkey_parse")]
    public static partial int PublicKeyParse(nint context, byte* publicKey, byte* input, nuint inputLength);

    [LibraryImport(Library, EntryPoint = "secp256k1_ec_pubkey_serialize")]
    public static partial int PublicKeySerialize(nint context, byte* output, nuint* outputLength, byte* publicKey, uint flags);

    [LibraryImport(Library, EntryPoint = "secp256k1_ecdsa_signature_parse_compact")]
    public static partial int SignatureParseCompact(nint context, byte* signature, byte* input64);

    [LibraryImport(Library, EntryPoint = "secp256k1_ecdsa_verify")]
    public static partial int Verify(nint context, byte* signature, byte* messageHash32, byte* publicKey);

    [LibraryImport(Library, EntryPoint = "secp256k1_ecdsa_sign_recoverable")]
    public static partial int SignRecoverable(nint context, byte* signature, byte* messageHash32, byte* secretKey32, nint nonceFunction, nint nonceData);

    [LibraryImport(Library, EntryPoint = "secp256k1_ecdsa_recoverable_signature_serialize_compact")]
    public static partial int RecoverableSignatureSerializeCompact(nint context, byte* output64, int* recoveryId, byte* signature);

    [LibraryImport(Library, EntryPoint = "secp256k1_ecdsa_recoverable_signature_parse_compact")]
    public static partial int RecoverableSignatureParseCompact(nint context, byte* signature, byte* input64, int recoveryId);

    [LibraryImport(Library, EntryPoint = "secp256k1_ecdsa_recover")]
    public static partial int Recover(nint context, byte* publicKey, byte* signature, byte* messageHash32);
}
