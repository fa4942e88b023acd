using Rollup.Primitives;
using Rollup.Primitives.Signatures;

namespace Rollup.Execution.Transactions;

/// <summary>
/// One transaction as the engine executes it: a flat struct whose fields mean what <see cref="Kind"/> says
/// (docs/transactions.md has the table), with its signature. Fields a kind does not use are zero.
/// </summary>
public readonly record struct Transaction
{
    public TxKind Kind { get; init; }

    /// <summary>
    /// The account the transaction acts for, which must be its signer: the trader, the oracle signer of an
    /// OracleUpdate, the operator of a market-admin transaction, the credited account of a Deposit.
    /// </summary>
    public Address Account { get; init; }

    /// <summary>The signer's replay-protection nonce (docs/transactions.md, "Nonces"). Unused by Deposit.</summary>
    public ulong Nonce { get; init; }

    public uint Market { get; init; }

    // PlaceOrder
    public bool IsBuy { get; init; }

    /// <summary>PlaceOrder: limit price (worst acceptable for a market order). OracleUpdate: the price.</summary>
    public ulong Price { get; init; }

    public ulong Size { get; init; }

    public OrderKind OrderKind { get; init; }

    public TimeInForce TimeInForce { get; init; }

    public bool ReduceOnly { get; init; }

    /// <summary>PlaceOrder, CancelOrderByClientId: the client's own id for the order.</summary>
    public ulong ClientOrderId { get; init; }

    /// <summary>CancelOrder: the id the engine gave the order.</summary>
    public ulong OrderId { get; init; }

    /// <summary>Deposit, Withdraw, TransferMargin: collateral base units.</summary>
    public ulong Amount { get; init; }

    /// <summary>TransferMargin: true moves free balance into the market, false moves margin out of it.</summary>
    public bool ToMarket { get; init; }

    /// <summary>Deposit: the L1 deposit queue index, consumed in order.</summary>
    public ulong DepositIndex { get; init; }

    /// <summary>OracleUpdate: the signer's time of the price, in milliseconds; strictly increasing per market.</summary>
    public ulong Timestamp { get; init; }

    /// <summary>CreateMarket, SetMarketParams.</summary>
    public MarketParams? Params { get; init; }

    /// <summary>Bulk: its items, 1 to <see cref="BulkItem.MaxItems"/>, executed in order in <see cref="Market"/>.</summary>
    public ValueArray<BulkItem>? Items { get; init; }

    public Signature Signature { get; init; }
}
