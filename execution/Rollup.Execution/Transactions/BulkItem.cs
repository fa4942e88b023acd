using Rollup.Primitives;

namespace Rollup.Execution.Transactions;

/// <summary>What one item of a <see cref="TxKind.Bulk"/> does. Wire values (uint8 in the signed item): never renumber.</summary>
public enum BulkAction : byte
{
    /// <summary>Places an order: every order field, as a PlaceOrder has them.</summary>
    Place = 0,
    /// <summary>Cancels the account's order <see cref="BulkItem.OrderId"/> in the bulk's market.</summary>
    Cancel = 1,
    /// <summary>Cancels the account's open order with <see cref="BulkItem.ClientOrderId"/> in the bulk's market.</summary>
    CancelByClientId = 2,
    /// <summary>Cancels the order <see cref="BulkItem.OrderId"/>, then places the item's order; if the cancel fails nothing is placed.</summary>
    CancelReplace = 3,
}

/// <summary>
/// One item of a bulk (docs/transactions.md, "Bulk"). Which fields an item carries depends on its
/// <see cref="Action"/>; the others are zero (the codec refuses an item with a field set its action does not carry).
/// </summary>
public readonly record struct BulkItem
{
    /// <summary>The protocol's largest bulk; a sequencer may admit fewer (Sequencer:MaxBulkItems).</summary>
    public const int MaxItems = 64;

    public BulkAction Action { get; init; }

    /// <summary>Cancel, CancelReplace: the id the engine gave the order to cancel.</summary>
    public ulong OrderId { get; init; }

    public bool IsBuy { get; init; }

    public ulong Price { get; init; }

    public ulong Size { get; init; }

    public OrderKind OrderKind { get; init; }

    public TimeInForce TimeInForce { get; init; }

    public bool ReduceOnly { get; init; }

    /// <summary>Place, CancelReplace: the new order's client id. CancelByClientId: the order to cancel.</summary>
    public ulong ClientOrderId { get; init; }

    /// <summary>Place and CancelReplace carry an order.</summary>
    public bool Places => Action is BulkAction.Place or BulkAction.CancelReplace;

    /// <summary>Cancel and CancelReplace name an order by id.</summary>
    public bool CarriesOrderId => Action is BulkAction.Cancel or BulkAction.CancelReplace;

    /// <summary>The item's order as the PlaceOrder it executes as (Place and CancelReplace).</summary>
    public Transaction ToPlaceOrder(in Address account, uint market) => new()
    {
        Kind = TxKind.PlaceOrder,
        Account = account,
        Market = market,
        IsBuy = IsBuy,
        Price = Price,
        Size = Size,
        OrderKind = OrderKind,
        TimeInForce = TimeInForce,
        ReduceOnly = ReduceOnly,
        ClientOrderId = ClientOrderId,
    };

    /// <summary>A Place item of <paramref name="order"/>'s order fields (its kind, account, market and nonce are the bulk's).</summary>
    public static BulkItem Place(in Transaction order) => new()
    {
        Action = BulkAction.Place,
        IsBuy = order.IsBuy,
        Price = order.Price,
        Size = order.Size,
        OrderKind = order.OrderKind,
        TimeInForce = order.TimeInForce,
        ReduceOnly = order.ReduceOnly,
        ClientOrderId = order.ClientOrderId,
    };
}

/// <summary>The outcome of one bulk item, in the bulk's receipt: as a PlaceOrder's or a cancel's receipt would be.</summary>
public readonly record struct BulkItemResult(Blocks.TxStatus Status, ulong OrderId = 0, long FilledSize = 0, long RestingSize = 0)
{
    public bool IsAccepted => Status == Blocks.TxStatus.Accepted;
}
