using System.Buffers.Binary;
using Rollup.Execution.State.Ordered;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps.Markets;

/// <summary>Where a market domain is inside a block (docs/steps.md, "Its steps").</summary>
public enum MarketPhase : byte
{
    BlockStart = 0,
    Inbox = 1,
    Mark = 2,
    Liquidation = 3,
    MarkAgain = 4,
}

/// <summary>
/// A market domain's step state (docs/steps.md, "Its step state"): what one step of the market's trace moves from
/// and to. Its hash, keccak256 of the fields as 32-byte ABI words, is what a claim names and a bisection compares.
/// The record and the pending work are carried as bytes; the state commits to their hashes (zero when empty).
/// </summary>
public sealed record MarketState
{
    public const int FieldCount = 20;

    public uint Market { get; init; }

    public ulong Block { get; init; }

    public ulong Timestamp { get; init; }

    public uint NextMessage { get; init; }

    public MarketPhase Phase { get; init; }

    /// <summary>The market record (<see cref="MarketRecord"/>); empty before the market is created.</summary>
    public byte[] Record { get; init; } = [];

    public OrderedNode Positions { get; init; }

    public OrderedNode Bids { get; init; }

    public OrderedNode Asks { get; init; }

    public OrderedNode Longs { get; init; }

    public OrderedNode Shorts { get; init; }

    /// <summary>Margin replies to the accounts domain, this batch: key keccak256(u64 block ‖ u32 txIndex).</summary>
    public Hash256 Outbox { get; init; }

    /// <summary>Hash chain of the receipts this market decides, this batch.</summary>
    public Hash256 Receipts { get; init; }

    /// <summary>Work a step left unfinished (<see cref="MarketPending"/>); empty when none.</summary>
    public byte[] Pending { get; init; } = [];

    public bool LiquidatedThisRound { get; init; }

    public bool HasPending => Pending.Length > 0;

    /// <summary>The persistent roots: what the market's root commits to between batches.</summary>
    public MarketDomainRoots Roots => new(HashOf(Record), Positions.Hash, Bids, Asks, Longs, Shorts);

    /// <summary>The state a batch's trace starts from: the persistent part carried over, the rest cleared.</summary>
    public MarketState StartOfBatch(ulong firstBlock) => new()
    {
        Market = Market,
        Block = firstBlock - 1,
        Record = Record,
        Positions = Positions,
        Bids = Bids,
        Asks = Asks,
        Longs = Longs,
        Shorts = Shorts,
    };

    /// <summary>
    /// The fields as ABI words: market, block, timestamp, nextMessage, phase, keccak256(record), then each ordered root
    /// (positions, bids, asks, longs, shorts) as two words, its hash and u32 count &lt;&lt; 128 | u64 size (the counts a
    /// step needs, such as the book's order count, come with the state: each step's are computed from its proofs),
    /// then outbox, receipts, keccak256(pending) and liquidatedThisRound.
    /// </summary>
    public byte[] AbiEncode()
    {
        var words = new byte[FieldCount * 32];
        var span = words.AsSpan();
        Word(span, 0, Market);
        Word(span, 1, Block);
        Word(span, 2, Timestamp);
        Word(span, 3, NextMessage);
        Word(span, 4, (ulong)Phase);
        HashOf(Record).CopyTo(span[(5 * 32)..]);
        var field = 6;
        foreach (var root in (ReadOnlySpan<OrderedNode>)[Positions, Bids, Asks, Longs, Shorts])
        {
            root.Hash.CopyTo(span[(field * 32)..]);
            BinaryPrimitives.WriteUInt32BigEndian(span[(((field + 1) * 32) + 12)..], root.Count);
            BinaryPrimitives.WriteUInt64BigEndian(span[(((field + 1) * 32) + 24)..], root.Size);
            field += 2;
        }
        Outbox.CopyTo(span[(16 * 32)..]);
        Receipts.CopyTo(span[(17 * 32)..]);
        HashOf(Pending).CopyTo(span[(18 * 32)..]);
        Word(span, 19, LiquidatedThisRound ? 1UL : 0UL);
        return words;
    }

    public Hash256 Hash() => Keccak256.Compute(AbiEncode());

    /// <summary>keccak256 of the bytes, zero for none.</summary>
    public static Hash256 HashOf(byte[] bytes) => bytes.Length == 0 ? Hash256.Zero : Keccak256.Compute(bytes);

    private static void Word(Span<byte> words, int field, ulong value) =>
        BinaryPrimitives.WriteUInt64BigEndian(words[((field * 32) + 24)..], value);
}
