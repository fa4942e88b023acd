using System.Buffers.Binary;
using Rollup.Execution.State;

namespace Rollup.Execution.Steps.Markets;

/// <summary>
/// A market's record in the provable layout: the engine's market record (state.md) followed by the number of price
/// levels on each side, u32 bids ‖ u32 asks, which the book's level limit needs and its trees cannot say in one path.
/// </summary>
public sealed record MarketRecord(MarketSnapshot Snapshot, uint BidLevels, uint AskLevels)
{
    public byte[] Encode()
    {
        var engine = StateRecords.EncodeMarket(Snapshot);
        var bytes = new byte[engine.Length + 8];
        engine.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(engine.Length), BidLevels);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(engine.Length + 4), AskLevels);
        return bytes;
    }

    /// <exception cref="StepProofException">The bytes are not a market record.</exception>
    public static MarketRecord Decode(byte[] bytes)
    {
        if (bytes.Length <= 8)
        {
            throw new StepProofException("the market record is too short");
        }
        try
        {
            var snapshot = StateRecords.DecodeMarket(bytes.AsSpan(0, bytes.Length - 8));
            return new MarketRecord(snapshot, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - 8)), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - 4)));
        }
        catch (InvalidDataException error)
        {
            throw new StepProofException($"the market record does not decode: {error.Message}");
        }
    }

    public uint Levels(bool bids) => bids ? BidLevels : AskLevels;

    public MarketRecord WithLevels(bool bids, uint levels) => bids ? this with { BidLevels = levels } : this with { AskLevels = levels };
}
