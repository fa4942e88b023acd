using System.Buffers.Binary;

namespace Rollup.Testing;

/// <summary>Byte batches shaped like a sequencer's signed orders, for compression tests and benchmarks.</summary>
public static class SampleOrderBatches
{
    public const int OrderLength = 108;

    /// <summary>
    /// A batch of 108-byte signed orders: 65 random signature bytes (r, s, v), then the small structured fields
    /// a sequencer batch carries: nonce, account, market, side, type, price, quantity, expiry, fee, flags.
    /// </summary>
    public static byte[] SignedOrders(int count, int seed)
    {
        var random = new Random(seed);
        var batch = new byte[count * OrderLength];
        var nonces = new ulong[512];
        for (var i = 0; i < count; i++)
        {
            var order = batch.AsSpan(i * OrderLength, OrderLength);
            random.NextBytes(order[..64]);
            order[64] = (byte)(27 + random.Next(2));
            var account = random.Next(nonces.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(order[65..], ++nonces[account]);
            BinaryPrimitives.WriteUInt32LittleEndian(order[73..], (uint)(10_000 + account));
            BinaryPrimitives.WriteUInt16LittleEndian(order[77..], (ushort)random.Next(16));
            order[79] = (byte)random.Next(2);
            order[80] = (byte)random.Next(4);
            BinaryPrimitives.WriteUInt64LittleEndian(order[81..], (ulong)(3_000_000 + random.Next(-500, 500)));
            BinaryPrimitives.WriteUInt64LittleEndian(order[89..], (ulong)random.Next(1, 10_000));
            BinaryPrimitives.WriteUInt64LittleEndian(order[97..], (ulong)(1_750_000_000 + (i / 100) + random.Next(60)));
            BinaryPrimitives.WriteUInt16LittleEndian(order[105..], (ushort)(random.Next(3) * 5));
            order[107] = (byte)random.Next(4);
        }
        return batch;
    }
}
