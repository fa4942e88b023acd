namespace Rollup.Execution.Blocks;

/// <summary>
/// What happened to a transaction: accepted, or the machine-readable reason it was rejected.
/// Wire values (receipts, gRPC status details): never renumber. A rejected transaction changes nothing
/// but its signer's nonce, once its signature and nonce were valid.
/// </summary>
public enum TxStatus : byte
{
    Accepted = 0,

    // Authentication and replay: checked first. A bad signature or a refused nonce spends nothing; a refused
    // authorization (NotOperator, NotOracleSigner) has spent the nonce. docs/statuses.md lists every code.
    BadSignature = 1,
    Replayed = 2,
    NonceTooOld = 3,
    NonceTooFar = 4,
    NotOperator = 5,
    NotOracleSigner = 6,

    // Accounts and money.
    UnknownAccount = 10,
    InsufficientBalance = 11,
    InsufficientMargin = 12,
    ZeroAmount = 13,
    DepositOutOfOrder = 14,
    Overflow = 15,
    FundsHeld = 16,
    HeldInTooManyMarkets = 17,

    // Markets.
    UnknownMarket = 20,
    MarketExists = 21,
    MarketHalted = 22,
    MarketPaused = 23,
    InvalidMarketParams = 24,
    MarketFault = 25,

    // Orders.
    TickViolation = 30,
    LotViolation = 31,
    PriceOutOfBand = 32,
    NoOraclePrice = 33,
    TooManyOpenOrders = 34,
    OrderNotFound = 35,
    PostOnlyWouldCross = 36,
    FokNotFillable = 37,
    BookFull = 38,
    ReduceOnlyWouldIncrease = 39,
    InvalidOrder = 40,
    DuplicateClientOrderId = 41,
    TooManyOrdersInBlock = 42,

    // Oracle.
    OracleOutOfOrder = 50,
    StaleOracle = 51,
    InvalidPrice = 52,
}

/// <summary>Receipt statuses that other layers' outcomes map to, defined once.</summary>
public static class TxStatuses
{
    /// <summary>The receipt of a nonce the signer's window refused (or <see cref="TxStatus.Accepted"/> for none).</summary>
    public static TxStatus Of(Transactions.ReplayError error) => error switch
    {
        Transactions.ReplayError.None => TxStatus.Accepted,
        Transactions.ReplayError.Replayed => TxStatus.Replayed,
        Transactions.ReplayError.TooOld => TxStatus.NonceTooOld,
        _ => TxStatus.NonceTooFar,
    };
}
