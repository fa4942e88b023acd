using Rollup.Execution.Blocks;
using Rollup.Primitives.Signatures;

namespace Rollup.Sequencer;

/// <summary>How a sequencer runs. Defaults suit a trading venue on a small machine.</summary>
public sealed record SequencerOptions
{
    /// <summary>Directory holding <c>state/</c> (the engine's RocksDB) and <c>txlog/</c> (the durable log).</summary>
    public required string DataDir { get; init; }

    public required EngineOptions Engine { get; init; }

    /// <summary>Signs acknowledgements; its address is the sequencer's identity.</summary>
    public required PrivateKey Key { get; init; }

    /// <summary>A block is cut this often while transactions wait. Default 50 ms.</summary>
    public TimeSpan BlockInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>...or as soon as this many transactions wait. Default 10,000.</summary>
    public int MaxBlockTransactions { get; init; } = 10_000;

    /// <summary>With nothing waiting, an empty block is still cut this often, so time and funding move on. Default 1 s.</summary>
    public TimeSpan IdleBlockInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most acks under one signature (<see cref="Execution.Acks.AckTree"/>). Acks made durable together share trees of up to
    /// this many leaves; the proof in each ack grows by 32 bytes per doubling. 1 signs every ack on its own. Default 128.
    /// </summary>
    public int AckTreeMaxLeaves { get; init; } = 128;

    /// <summary>Most transactions of one account admitted but not yet in an executed block. Default 1,024.</summary>
    public int MaxPendingPerAccount { get; init; } = 1024;

    /// <summary>
    /// A block is cut before its order slots (one per transaction, one per item of a bulk) pass this many, at most
    /// <see cref="Execution.Markets.Market.MaxOrderSlots"/> (the order ids a block has). It bounds a block's size: at the
    /// default a full block of bulks streams (StreamBlocks) as a message under the 4 MiB every gRPC client takes by default.
    /// Default <see cref="DefaultMaxBlockOrderSlots"/>.
    /// </summary>
    public int MaxBlockOrderSlots { get; init; } = DefaultMaxBlockOrderSlots;

    public const int DefaultMaxBlockOrderSlots = 25_000;

    /// <summary>Most items in one admitted Bulk, 1 to <see cref="Execution.Transactions.BulkItem.MaxItems"/> (the protocol's limit). Default 64.</summary>
    public int MaxBulkItems { get; init; } = Execution.Transactions.BulkItem.MaxItems;
}
