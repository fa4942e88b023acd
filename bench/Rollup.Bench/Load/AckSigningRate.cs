using System.Diagnostics;
using Rollup.Primitives.Signatures;

namespace Rollup.Bench;

/// <summary>
/// secp256k1 signatures per second on N threads, flat out: the other cryptographic cost of every acknowledged
/// transaction (the sequencer signs each ack), measured next to the recovery ceiling in the same run.
/// </summary>
internal static class AckSigningRate
{
    public static double SignaturesPerSecond(int threads, TimeSpan duration)
    {
        var key = PrivateKey.Generate();
        var counts = new long[threads];
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            Span<byte> hash = stackalloc byte[32];
            Span<byte> signature = stackalloc byte[Secp256k1.SignatureLength];
            hash[0] = (byte)t;
            long done = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                for (var i = 0; i < 64; i++)
                {
                    key.Sign(hash, signature);
                    hash[1..9].CopyTo(hash[2..]);
                    hash[1] = signature[i & 31];
                }
                done += 64;
            }
            counts[t] = done;
        }) { IsBackground = true }).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }
}
