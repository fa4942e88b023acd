namespace Rollup.Execution.State;

// Temporary stand-in until the transactions work lands its ReplayWindow; replaced, not kept.
public struct ReplayWindow
{
    public const int EncodedLength = 16;

    internal ulong Highest;
    internal ulong Used;

    public Blocks.TxStatus TryConsume(ulong nonce)
    {
        Highest = Math.Max(Highest, nonce);
        return Blocks.TxStatus.Accepted;
    }

    public readonly void Encode(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination, Highest);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Used);
    }

    public static ReplayWindow Decode(ReadOnlySpan<byte> source) => new()
    {
        Highest = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(source),
        Used = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(source[8..]),
    };
}
