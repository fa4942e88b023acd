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
    /// <summary>Up to <see cref="BulkItem.MaxItems"/> places and cancels in one market under one signature and one nonce.</summary>
    Bulk = 13,
}

/// <summary>What every layer needs to know about a kind without a switch of its own.</summary>
public static class TxKinds
{
    public const TxKind First = TxKind.Deposit;
    public const TxKind Last = TxKind.Bulk;

    /// <summary>A kind this protocol version defines (wire values 1 to 13).</summary>
    public static bool IsDefined(this TxKind kind) => kind is >= First and <= Last;

    /// <summary>Every defined kind but Deposit is EIP-712 typed data signed by its account.</summary>
    public static bool IsSigned(this TxKind kind) => kind is > TxKind.Deposit and <= Last;

    /// <summary>The kinds only an operator may sign: CreateMarket, SetMarketParams, PauseMarket, ResumeMarket.</summary>
    public static bool IsMarketAdministration(this TxKind kind) =>
        kind is TxKind.CreateMarket or TxKind.SetMarketParams or TxKind.PauseMarket or TxKind.ResumeMarket;

    /// <summary>CreateMarket and SetMarketParams, the kinds that carry <see cref="MarketParams"/>.</summary>
    public static bool CarriesMarketParams(this TxKind kind) => kind is TxKind.CreateMarket or TxKind.SetMarketParams;

    /// <summary>Every defined kind, in wire order.</summary>
    public static ReadOnlySpan<TxKind> All =>
    [
        TxKind.Deposit, TxKind.Withdraw, TxKind.TransferMargin, TxKind.PlaceOrder, TxKind.CancelOrder,
        TxKind.CancelOrderByClientId, TxKind.CancelAllOrders, TxKind.OracleUpdate, TxKind.CreateMarket,
        TxKind.SetMarketParams, TxKind.PauseMarket, TxKind.ResumeMarket, TxKind.Bulk,
    ];
}
