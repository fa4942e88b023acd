using Rollup.Primitives.Hashing;

namespace Rollup.Primitives.Eip712;

/// <summary>The EIP-712 signing digest: keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)).</summary>
public static class TypedDataDigest
{
    public static Hash256 Compute(in Hash256 domainSeparator, in Hash256 structHash)
    {
        Span<byte> buffer = stackalloc byte[2 + (2 * Hash256.Length)];
        buffer[0] = 0x19;
        buffer[1] = 0x01;
        domainSeparator.CopyTo(buffer[2..]);
        structHash.CopyTo(buffer[34..]);
        return Keccak256.Compute(buffer);
    }
}
