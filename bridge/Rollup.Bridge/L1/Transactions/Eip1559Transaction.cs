using System.Numerics;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Bridge.L1;

/// <summary>
/// An unsigned EIP-1559 (type 2) transaction with an empty access list. Signing hash:
/// keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList])).
/// </summary>
public sealed class Eip1559Transaction
{
    /// <summary>The EIP-2718 type byte that starts the envelope.</summary>
    public const byte TypeByte = 0x02;

    public required ulong ChainId { get; init; }

    public required ulong Nonce { get; init; }

    /// <summary>The tip per gas to the block producer, in wei.</summary>
    public required BigInteger MaxPriorityFeePerGas { get; init; }

    /// <summary>The most the sender pays per gas, base fee included, in wei.</summary>
    public required BigInteger MaxFeePerGas { get; init; }

    public required ulong GasLimit { get; init; }

    /// <summary>The recipient; null creates a contract with <see cref="Data"/> as its init code.</summary>
    public Address? To { get; init; }

    /// <summary>Wei sent with the transaction.</summary>
    public BigInteger Value { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>0x02 ‖ rlp of the nine unsigned fields: the bytes the signature commits to.</summary>
    public byte[] EncodeForSigning() => [TypeByte, .. Rlp.EncodeList(Fields())];

    public Hash256 SigningHash() => Keccak256.Compute(EncodeForSigning());

    /// <summary>Signs with secp256k1 (deterministic, low s): yParity is the recovery id, 0 or 1.</summary>
    public SignedEip1559Transaction Sign(PrivateKey key)
    {
        var signature = key.Sign(SigningHash().Bytes);
        // Our PrivateKey writes the recovery id as v = 0/1; the Ethereum 27/28 form is accepted too.
        var v = signature[64];
        var yParity = v >= 27 ? (byte)(v - 27) : v;
        return new SignedEip1559Transaction(
            this,
            yParity,
            new BigInteger(signature.AsSpan(0, 32), isUnsigned: true, isBigEndian: true),
            new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true));
    }

    /// <summary>The nine RLP-encoded fields shared by the signing payload and the signed envelope.</summary>
    internal List<byte[]> Fields() =>
    [
        Rlp.EncodeUInt(ChainId),
        Rlp.EncodeUInt(Nonce),
        Rlp.EncodeUInt(MaxPriorityFeePerGas),
        Rlp.EncodeUInt(MaxFeePerGas),
        Rlp.EncodeUInt(GasLimit),
        Rlp.EncodeBytes(To is { } to ? to.Bytes : []),
        Rlp.EncodeUInt(Value),
        Rlp.EncodeBytes(Data.Span),
        Rlp.EncodeList(), // access list: always empty here
    ];
}
