namespace Rollup.Primitives.Signatures;

/// <summary>Why a signature was refused. Machine-readable: receipts and gRPC statuses carry it.</summary>
public enum SignatureError : byte
{
    None = 0,
    /// <summary>Not 65 bytes (r, s, v).</summary>
    BadLength,
    /// <summary>v is not 0, 1, 27 or 28.</summary>
    BadRecoveryId,
    /// <summary>r or s is zero or not below the curve order.</summary>
    BadScalar,
    /// <summary>s is above half the curve order: malleable, refused as EIP-2 requires.</summary>
    HighS,
    /// <summary>The signature is well-formed but no public key recovers from it.</summary>
    RecoveryFailed,
}
