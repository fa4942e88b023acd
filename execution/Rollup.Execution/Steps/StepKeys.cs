using System.Buffers.Binary;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Execution.Steps;

/// <summary>Keys and records of the step trees (docs/steps.md, "The witness, leaf by leaf"). Protocol bytes.</summary>
public static class StepKeys
{
    public const int BlockHeaderLength = 20;

    public static readonly byte[] RegistryRecord = [0x01];

    /// <summary>A transaction of the batch by sequence number: the key of the commitment's txRoot.</summary>
    public static Hash256 Sequence(ulong sequence) => Blocks.BatchTransactionRoot.Key(sequence);

    public static Hash256 Block(ulong block) => KeyOfU64(block);

    public static Hash256 Market(uint market)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, market);
        return Keccak256.Compute(bytes);
    }

    /// <summary>keccak256(u64 block ‖ u32 txIndex): a withdrawal, and a market's reply to a transaction.</summary>
    public static Hash256 BlockTx(ulong block, uint txIndex)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, block);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[8..], txIndex);
        return Keccak256.Compute(bytes);
    }

    /// <summary>keccak256(u32 m ‖ u64 block ‖ u32 j): message j routed to market m in a block.</summary>
    public static Hash256 OutboxMessage(uint market, ulong block, uint index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, market);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[4..], block);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[12..], index);
        return Keccak256.Compute(bytes);
    }

    public static Hash256 Reply(uint index)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, index);
        return Keccak256.Compute(bytes);
    }

    public static byte[] BlockHeader(ulong timestamp, ulong firstSequence, uint txCount)
    {
        var record = new byte[BlockHeaderLength];
        BinaryPrimitives.WriteUInt64BigEndian(record, timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(record.AsSpan(8), firstSequence);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(16), txCount);
        return record;
    }

    /// <summary><c>address ‖ i64 amount</c>: a withdrawal, and a market's margin reply.</summary>
    public static byte[] AccountAmount(in Address account, long amount)
    {
        var record = new byte[Address.Length + 8];
        account.CopyTo(record);
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(Address.Length), amount);
        return record;
    }

    /// <summary><c>u64 sequence ‖ u32 txIndex ‖ u32 slot</c>: a routed transaction, and its first order slot in the block.</summary>
    public static byte[] OutboxMessageRecord(ulong sequence, uint txIndex, uint slot)
    {
        var record = new byte[OutboxMessageLength];
        BinaryPrimitives.WriteUInt64BigEndian(record, sequence);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(8), txIndex);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(12), slot);
        return record;
    }

    public const int OutboxMessageLength = 16;

    public static byte[] U32(uint value)
    {
        var record = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(record, value);
        return record;
    }

    public static byte[] ReplyRecord(uint market, uint txIndex)
    {
        var record = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(record, market);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(4), txIndex);
        return record;
    }

    private static Hash256 KeyOfU64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return Keccak256.Compute(bytes);
    }
}
