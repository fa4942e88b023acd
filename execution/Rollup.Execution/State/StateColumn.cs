namespace Rollup.Execution.State;

/// <summary>
/// Every RocksDB table of the node, in one place (the column family names are these member names: on-disk
/// format). Key encodings live in <see cref="StateKeys"/>; value encodings beside each state type.
/// </summary>
public enum StateColumn
{
    /// <summary>Chain head and counters. Key: ASCII name (<see cref="StateKeys.Meta"/>). Value: per entry.</summary>
    Meta = 0,

    /// <summary>Accounts by address. Key: address (20). Value: <see cref="AccountRecord"/>.</summary>
    Accounts = 1,

    /// <summary>Markets by id. Key: market id (4, BE). Value: <see cref="MarketRecord"/>.</summary>
    Markets = 2,

    /// <summary>Positions and isolated margin. Key: market id (4, BE) ‖ address (20). Value: <see cref="PositionRecord"/>.</summary>
    Positions = 3,

    /// <summary>Resting orders. Key: market id (4, BE) ‖ order id (8, BE). Value: <see cref="OrderRecord"/>.</summary>
    Orders = 4,

    /// <summary>Sparse Merkle tree nodes of every tree. Key: tree id (5) ‖ depth (2, BE) ‖ path (⌈depth/8⌉). Value: <see cref="Merkle.MerkleNode"/>.</summary>
    MerkleNodes = 5,

    /// <summary>Executed blocks. Key: block number (8, BE). Value: block header and receipts.</summary>
    Blocks = 6,

    /// <summary>
    /// Executed transactions by hash and by sequence number (<see cref="Blocks.TransactionIndex"/>): tagged keys, not part
    /// of any root. Added after the other tables; a database written without it is indexed when first opened.
    /// </summary>
    TxLookup = 7,
}
