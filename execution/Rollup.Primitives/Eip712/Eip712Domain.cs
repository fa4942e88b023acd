using System.Text;
using Rollup.Primitives.Hashing;

namespace Rollup.Primitives.Eip712;

/// <summary>
/// The EIP-712 domain every Rollup signature is bound to: name, version, chain id and the L1
/// settlement contract. A signature made for one chain or one contract is invalid on any other.
/// </summary>
public sealed record Eip712Domain(string Name, string Version, ulong ChainId, Address VerifyingContract)
{
    public const string EncodedType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

    public static readonly Hash256 TypeHash = Keccak256.Compute(Encoding.ASCII.GetBytes(EncodedType));

    private Hash256? _separator;

    /// <summary>hashStruct(EIP712Domain), computed once.</summary>
    public Hash256 Separator => _separator ??= ComputeSeparator();

    /// <summary>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash): what is signed.</summary>
    public Hash256 Digest(in Hash256 structHash) => TypedDataDigest.Compute(Separator, structHash);

    private Hash256 ComputeSeparator()
    {
        Span<byte> buffer = stackalloc byte[5 * AbiWords.WordLength];
        var words = new AbiWords(buffer);
        words.Hash(TypeHash);
        words.Hash(Keccak256.Compute(Encoding.UTF8.GetBytes(Name)));
        words.Hash(Keccak256.Compute(Encoding.UTF8.GetBytes(Version)));
        words.UInt256(ChainId);
        words.Address(VerifyingContract);
        return Keccak256.Compute(words.Written);
    }
}
