namespace Rollup.Execution.Transactions;

/// <summary>
/// Why bytes are not a transaction (docs/transactions.md, "Decoding"), or why a <see cref="Transaction"/> cannot be
/// encoded. Machine-readable: wire values, never renumber.
/// </summary>
public enum TxDecodeError : byte
{
    None = 0,
    /// <summary>The input ends inside the transaction.</summary>
    Truncated = 1,
    /// <summary>The kind byte is not a defined <see cref="TxKind"/>.</summary>
    UnknownKind = 2,
    /// <summary>A bool byte is neither 0 nor 1.</summary>
    BadBool = 3,
    /// <summary>An order's kind is not a defined <see cref="Transactions.OrderKind"/>.</summary>
    BadOrderKind = 4,
    /// <summary>An order's time in force is not a defined <see cref="Transactions.TimeInForce"/>.</summary>
    BadTimeInForce = 5,
    /// <summary>A market symbol is empty or longer than <see cref="TransactionCodec.MaxSymbolLength"/>.</summary>
    BadSymbolLength = 6,
    /// <summary>A market symbol has a byte outside visible ASCII (0x21 to 0x7E).</summary>
    BadSymbolCharacter = 7,
    /// <summary>More than <see cref="MarketParams.MaxOracleSigners"/> oracle signers.</summary>
    TooManyOracleSigners = 8,
    /// <summary>Encoding only: a field the kind does not carry is set (it would be lost, and it is not signed).</summary>
    UnusedFieldSet = 9,
    /// <summary>Encoding only: CreateMarket or SetMarketParams without <see cref="Transaction.Params"/>.</summary>
    MissingParams = 10,
    /// <summary>A bulk has no items, or more than <see cref="BulkItem.MaxItems"/> (or, encoding only, its items are missing).</summary>
    BadBulkItemCount = 11,
    /// <summary>A bulk item's action is not a defined <see cref="BulkAction"/>.</summary>
    BadBulkAction = 12,
    /// <summary>Two items of one bulk place orders with the same nonzero client order id.</summary>
    DuplicateClientOrderId = 13,
}
