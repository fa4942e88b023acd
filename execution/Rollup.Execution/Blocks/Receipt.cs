namespace Rollup.Execution.Blocks;

/// <summary>
/// The outcome of one transaction of a block. For a PlaceOrder, <see cref="OrderId"/> is the id the engine
/// gave it (<see cref="Markets.Market.OrderIdOf"/>) and the sizes say how much traded and how much rests. For a Bulk
/// that reached its market, <see cref="Items"/> holds each item's own outcome, in the bulk's order. For an accepted
/// Withdraw that drew on held credits, <see cref="Drawn"/> names them (its withdrawal leaf carries them).
/// </summary>
public readonly record struct Receipt(int TxIndex, TxStatus Status, ulong OrderId = 0, long FilledSize = 0, long RestingSize = 0,
    Transactions.ValueArray<Transactions.BulkItemResult>? Items = null, Transactions.ValueArray<State.HeldDraw>? Drawn = null)
{
    public bool IsAccepted => Status == TxStatus.Accepted;
}
