namespace Rollup.Execution.Blocks;

/// <summary>
/// The sentence a receipt gives for each <see cref="TxStatus"/> (a rejection's <c>reason</c>, types.proto): what happened
/// and what to do about it. docs/statuses.md shows the same sentences beside the codes; StatusTableTests holds the two equal.
/// </summary>
public static class TxStatusReasons
{
    public static string Of(TxStatus status) => status switch
    {
        TxStatus.Accepted => "The transaction was executed.",
        TxStatus.BadSignature => "The signature does not recover to the account: sign this transaction's EIP-712 typed data with the account's key, in this chain's domain.",
        TxStatus.Replayed => "The account used this nonce already: sign the transaction again with an unused nonce.",
        TxStatus.NonceTooOld => "The nonce is below the account's 64-nonce window: sign again with a nonce no more than 64 below the highest used, or above it.",
        TxStatus.NonceTooFar => "The nonce is more than 2^32 past the highest the account used: sign again with a nonce closer to it.",
        TxStatus.NotOperator => "Only an operator may create or administer markets: sign with an operator's key (this nonce is spent).",
        TxStatus.NotOracleSigner => "This key is not one of the market's oracle signers: sign the price with one of theirs (this nonce is spent).",
        TxStatus.UnknownAccount => "The account has no state (reserved: this version never gives it).",
        TxStatus.InsufficientBalance => "The amount is more than the account's free balance: deposit more, or move margin out of a market first.",
        TxStatus.InsufficientMargin => "The position's equity would not cover its initial margin: move more margin into the market, or trade a smaller size.",
        TxStatus.ZeroAmount => "The amount is 0: give a positive amount.",
        TxStatus.DepositOutOfOrder => "The deposit's index is not the next in the L1 queue: deposits are credited strictly in queue order.",
        TxStatus.Overflow => "An amount or a notional is past what 63 bits hold: use smaller values.",
        TxStatus.FundsHeld => "Part of the amount is margin moved out of another market whose claims are not final on L1 yet: it can be withdrawn, or moved back into that market, but not into this one until it is released.",
        TxStatus.HeldInTooManyMarkets => "The account holds funds moved out of 8 markets not final on L1 yet: wait until one is released, or use one of those markets.",
        TxStatus.UnknownMarket => "No market has this id: list the markets (ListMarkets, GET /v1/markets) and use one of theirs.",
        TxStatus.MarketExists => "A market with this id exists already: create the new one under an unused id.",
        TxStatus.MarketHalted => "The market is halted (circuit breaker, insolvency or fault) and takes cancels only until an operator resumes it.",
        TxStatus.MarketPaused => "An operator paused the market: it takes cancels only until it is resumed.",
        TxStatus.InvalidMarketParams => "The market parameters break the rules of docs/transactions.md: correct them and send again.",
        TxStatus.MarketFault => "The market failed executing this block and halted; its transactions in the block were refused and changed nothing.",
        TxStatus.TickViolation => "The price is not a multiple of the market's tick size: round it to a multiple of the tick.",
        TxStatus.LotViolation => "The size is not a multiple of the market's lot size: round it to a multiple of the lot.",
        TxStatus.PriceOutOfBand => "The price is further from the oracle price than the market's band allows: quote closer to the oracle price.",
        TxStatus.NoOraclePrice => "The market has no oracle price yet: wait for its first oracle update.",
        TxStatus.TooManyOpenOrders => "The account has the most open orders the market allows: cancel some first.",
        TxStatus.OrderNotFound => "The account has no open order with this id (or client id) in the market: it may have filled or been cancelled.",
        TxStatus.PostOnlyWouldCross => "The post-only order would take liquidity: price it so that it rests on the book.",
        TxStatus.FokNotFillable => "The book cannot fill this fill-or-kill order whole: lower its size or change its price.",
        TxStatus.BookFull => "The book holds the most orders or price levels the market allows: use a price at an existing level, or try later.",
        TxStatus.ReduceOnlyWouldIncrease => "The reduce-only order would not reduce the position: check its side and size against the position.",
        TxStatus.InvalidOrder => "The order is malformed (a zero price or size, an unknown kind or time in force, a post-only market order, or a value of 2^63 or more): correct it and send again.",
        TxStatus.DuplicateClientOrderId => "The account has an open order with this client order id: use another id, or cancel that order first.",
        TxStatus.TooManyOrdersInBlock => "The block's orders had used every order id it has (524,288, a bulk taking one per item): send it again for a later block.",
        TxStatus.OracleOutOfOrder => "The oracle timestamp is not after the market's last one: send a newer price.",
        TxStatus.StaleOracle => "The oracle timestamp is too far behind or ahead of the block's time: send a fresh price.",
        TxStatus.InvalidPrice => "The oracle price is zero, off the tick, or too large: send a valid price.",
        _ => $"Status {(byte)status} has no sentence in this version.",
    };
}
