namespace Rollup.Execution.Transactions;

/// <summary>Transaction kinds. Wire values (first byte of an encoded transaction): never renumber.</summary>
public enum TxKind : byte
{
    /// <summary>System: credits an L1 deposit to an account's free balance. Not signed; derived from L1.</summary>
    Deposit = 1,
    /// <summary>Moves free balance out to L1 (claimable once the batch is final).</summary>
    Withdraw = 2,
    /// <summary>Moves collateral between free balance and one market's isolated margin.</summary>
    TransferMargin = 3,
    PlaceOrder = 4,
    CancelOrder = 5,
    CancelOrderByClientId = 6,
    CancelAllOrders = 7,
    /// <summary>A price from one of the market's oracle signers.</summary>
    OracleUpdate = 8,
    /// <summary>Operator: creates a market with its parameters.</summary>
    CreateMarket = 9,
    /// <summary>Operator: replaces a market's parameters.</summary>
    SetMarketParams = 10,
    /// <summary>Operator: puts a market in cancel-only mode.</summary>
    PauseMarket = 11,
    /// <summary>Operator: lifts a pause or a circuit-breaker halt.</summary>
    ResumeMarket = 12,
}
