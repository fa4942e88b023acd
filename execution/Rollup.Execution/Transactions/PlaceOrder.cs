using System.Text;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Transactions;

/// <summary>
/// A signed order as its account signs it (EIP-712 primary type <c>Order</c>). Prices are in the
/// market's ticks, sizes in its lots; <see cref="Nonce"/> is the account's replay-protection nonce.
/// </summary>
public readonly record struct PlaceOrder(
    Address Account,
    uint Market,
    bool IsBuy,
    ulong Price,
    ulong Size,
    OrderKind Kind,
    TimeInForce TimeInForce,
    bool ReduceOnly,
    ulong ClientOrderId,
    ulong Nonce)
{
    /// <summary>The EIP-712 type, exactly as hashed: it is part of the protocol (docs/eip712.md).</summary>
    public const string EncodedType =
        "Order(address account,uint32 market,bool isBuy,uint64 price,uint64 size,uint8 kind,uint8 timeInForce,bool reduceOnly,uint64 clientOrderId,uint64 nonce)";

    public static readonly Hash256 TypeHash = Keccak256.Compute(Encoding.ASCII.GetBytes(EncodedType));

    private const int FieldCount = 10;

    /// <summary>hashStruct(Order): one Keccak over 11 words on the stack.</summary>
    public Hash256 StructHash()
    {
        Span<byte> buffer = stackalloc byte[(FieldCount + 1) * AbiWords.WordLength];
        var words = new AbiWords(buffer);
        words.Hash(TypeHash);
        words.Address(Account);
        words.UInt256(Market);
        words.Bool(IsBuy);
        words.UInt256(Price);
        words.UInt256(Size);
        words.UInt256((byte)Kind);
        words.UInt256((byte)TimeInForce);
        words.Bool(ReduceOnly);
        words.UInt256(ClientOrderId);
        words.UInt256(Nonce);
        return Keccak256.Compute(words.Written);
    }

    /// <summary>The digest the account signs in <paramref name="domain"/>.</summary>
    public Hash256 SigningDigest(Eip712Domain domain) => domain.Digest(StructHash());
}
