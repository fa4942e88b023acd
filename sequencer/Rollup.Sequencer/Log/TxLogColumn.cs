namespace Rollup.Sequencer.Log;

/// <summary>The transaction log's tables (column family names: on-disk format).</summary>
public enum TxLogColumn
{
    /// <summary>Admitted transactions. Key: sequence number (u64 BE). Value: canonical encoded transaction.</summary>
    Transactions = 0,

    /// <summary>Block cuts. Key: block number (u64 BE). Value: timestamp (u64) ‖ first sequence (u64) ‖ end sequence, exclusive (u64).</summary>
    Blocks = 1,
}
