using Rollup.Primitives;
using Rollup.Primitives.Eip712;

namespace Rollup.Execution.Transactions;

/// <summary>
/// A builder of a PlaceOrder <see cref="Transaction"/> (EIP-712 primary type <c>Order</c>), for call sites that
/// read better with named order fields. It has no hashing of its own: <see cref="SigningDigest"/> is
/// <see cref="TransactionSigning.SigningDigest"/> of <see cref="ToTransaction"/>.
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
    /// <summary>The unsigned transaction: <see cref="Transaction.Signature"/> is empty.</summary>
    public Transaction ToTransaction() => new()
    {
        Kind = TxKind.PlaceOrder,
        Account = Account,
        Market = Market,
        IsBuy = IsBuy,
        Price = Price,
        Size = Size,
        OrderKind = Kind,
        TimeInForce = TimeInForce,
        ReduceOnly = ReduceOnly,
        ClientOrderId = ClientOrderId,
        Nonce = Nonce,
    };

    /// <summary>The digest the account signs in <paramref name="domain"/>.</summary>
    public Hash256 SigningDigest(Eip712Domain domain) => TransactionSigning.SigningDigest(ToTransaction(), domain);
}
