using Rollup.Execution.Blocks;
using Rollup.Primitives;

namespace Rollup.Execution.Markets;

/// <summary>Collateral a market hands back to an account's free balance, applied after all markets ran.</summary>
public readonly record struct MarginRelease(int TxIndex, Address Account, long Amount, uint Market);

/// <summary>
/// What one market's share of a block reads and writes besides the market itself: the block's number and
/// time, the block's receipt array (each market writes only its own transactions' slots), and its own lists
/// of events and margin releases, merged in market-id order once every market is done.
/// </summary>
public sealed class MarketBlockContext
{
    public MarketBlockContext(ulong blockNumber, ulong timestamp, Receipt[] receipts)
    {
        BlockNumber = blockNumber;
        Timestamp = timestamp;
        Receipts = receipts;
    }

    public ulong BlockNumber { get; }

    /// <summary>Block time in milliseconds, from the sequencer's log: the only clock the state machine has.</summary>
    public ulong Timestamp { get; }

    public Receipt[] Receipts { get; }

    /// <summary>
    /// The first order slot of each transaction of the block (<see cref="Blocks.OrderSlots"/>); null when the block has no
    /// bulk, and then a transaction's slot is its index.
    /// </summary>
    public int[]? OrderSlots { get; init; }

    /// <summary>The slot the transaction's first order takes in the block's order ids (<see cref="Market.OrderIdOf"/>).</summary>
    public int SlotOf(int txIndex) => OrderSlots is { } slots ? slots[txIndex] : txIndex;

    public List<ExecutionEvent> Events { get; } = [];

    public List<MarginRelease> Releases { get; } = [];

    /// <summary>Index in the block of the transaction being executed; -1 for end-of-block work.</summary>
    public int TxIndex { get; set; } = -1;

    public void Reject(int txIndex, TxStatus status) => Receipts[txIndex] = new Receipt(txIndex, status);

    public void Accept(int txIndex) => Receipts[txIndex] = new Receipt(txIndex, TxStatus.Accepted);
}
