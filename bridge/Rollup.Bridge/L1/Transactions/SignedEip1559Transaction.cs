using System.Numerics;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Bridge.L1;

/// <summary>
/// A signed EIP-1559 transaction. Raw form (what eth_sendRawTransaction takes):
/// 0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s]);
/// its hash is keccak256 of the raw form.
/// </summary>
public sealed class SignedEip1559Transaction
{
    private const int FieldCount = 12;

    private readonly byte[] _raw;

    public SignedEip1559Transaction(Eip1559Transaction transaction, byte yParity, BigInteger r, BigInteger s)
    {
        if (yParity > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(yParity), yParity, "yParity is 0 or 1");
        }
        if (r.Sign <= 0 || s.Sign <= 0 || r.GetByteCount(isUnsigned: true) > 32 || s.GetByteCount(isUnsigned: true) > 32)
        {
            throw new ArgumentException("r and s are positive 256-bit integers");
        }
        Transaction = transaction;
        YParity = yParity;
        R = r;
        S = s;
        List<byte[]> fields = [.. transaction.Fields(), Rlp.EncodeUInt(yParity), Rlp.EncodeUInt(r), Rlp.EncodeUInt(s)];
        _raw = [Eip1559Transaction.TypeByte, .. Rlp.EncodeList(fields)];
        Hash = Keccak256.Compute(_raw);
    }

    public Eip1559Transaction Transaction { get; }

    public byte YParity { get; }

    public BigInteger R { get; }

    public BigInteger S { get; }

    public Hash256 Hash { get; }

    /// <summary>The envelope bytes, for eth_sendRawTransaction.</summary>
    public ReadOnlySpan<byte> Raw => _raw;

    public byte[] ToRawArray() => _raw.ToArray();

    /// <summary>The sender, recovered from the signature (high s is refused, as Ethereum does since EIP-2).</summary>
    public Address RecoverSender()
    {
        Span<byte> signature = stackalloc byte[Secp256k1.SignatureLength];
        R.TryWriteBytes(signature[..32][(32 - R.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        S.TryWriteBytes(signature[32..64][(32 - S.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        signature[64] = YParity;
        return Secp256k1.RecoverAddress(Transaction.SigningHash().Bytes, signature);
    }

    /// <summary>
    /// Decodes a raw type-2 envelope (as found in a block or returned by a node). Refuses other transaction
    /// types, non-canonical RLP, and non-empty access lists (which this model does not carry).
    /// </summary>
    public static SignedEip1559Transaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty || raw[0] != Eip1559Transaction.TypeByte)
        {
            throw new RlpException($"not an EIP-1559 envelope: type byte {(raw.IsEmpty ? "missing" : $"0x{raw[0]:x2}")}, expected 0x02");
        }
        var fields = RlpDecoder.Decode(raw[1..], maxDepth: 4).Items;
        if (fields.Count != FieldCount)
        {
            throw new RlpException($"an EIP-1559 transaction has {FieldCount} fields, found {fields.Count}");
        }
        if (fields[8].Items.Count != 0)
        {
            throw new RlpException("transactions with a non-empty access list are not supported");
        }
        var transaction = new Eip1559Transaction
        {
            ChainId = fields[0].AsUInt64(),
            Nonce = fields[1].AsUInt64(),
            MaxPriorityFeePerGas = fields[2].AsUInt(),
            MaxFeePerGas = fields[3].AsUInt(),
            GasLimit = fields[4].AsUInt64(),
            To = fields[5].AsOptionalAddress(),
            Value = fields[6].AsUInt(),
            Data = fields[7].Bytes.ToArray(),
        };
        var yParity = fields[9].AsUInt64();
        if (yParity > 1)
        {
            throw new RlpException($"yParity is {yParity}, expected 0 or 1");
        }
        try
        {
            return new SignedEip1559Transaction(transaction, (byte)yParity, fields[10].AsUInt(), fields[11].AsUInt());
        }
        catch (ArgumentException e)
        {
            throw new RlpException($"invalid signature values: {e.Message}", e);
        }
    }
}
