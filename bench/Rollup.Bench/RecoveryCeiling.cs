using System.Diagnostics;
using System.Globalization;
using Rollup.Primitives.Hashing;
using Rollup.Primitives.Signatures;

namespace Rollup.Bench;

/// <summary>
/// The ceiling every end-to-end figure is compared with: how many signers this machine can recover
/// per second (libsecp256k1 recovery plus the Keccak of the public key), on 1 thread and on all cores.
/// Usage: <c>rollup-bench ceiling [seconds-per-run]</c>. The <c>engine</c> and <c>stateroot</c> benchmarks call
/// <see cref="RecoveriesPerSecond"/> and <see cref="Keccak64PerSecond"/> to print the same limits next to their figures.
/// </summary>
internal static class RecoveryCeiling
{
    private const int SignedMessages = 4096;

    private static (byte[][] Hashes, byte[][] Signatures)? _messages;

    /// <summary>1 and, on a multi-core machine, every core: the thread counts the ceiling is measured on.</summary>
    public static int[] ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    public static int Run(ReadOnlySpan<string> args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
        var duration = TimeSpan.FromSeconds(seconds);

        var figures = new List<Figure>();
        foreach (var threads in ThreadCounts)
        {
            var rate = RecoveriesPerSecond(threads, duration);
            Console.WriteLine($"secp256k1 recover to address, {threads} thread(s): {rate,12:N0} /s");
            figures.Add(new Figure($"secp256k1.recover.threads{threads}", Math.Round(rate), "op/s"));
        }

        var keccak = Keccak64PerSecond(duration);
        Console.WriteLine($"keccak-256 of 64 bytes, 1 thread:        {keccak,12:N0} /s   (goal >= 1,500,000 /s)");
        figures.Add(new Figure("keccak256.64B.threads1", Math.Round(keccak), "op/s"));

        BenchResults.Write("ceiling", figures);
        return 0;
    }

    /// <summary>
    /// Signers recovered per second (libsecp256k1 recovery plus the Keccak of the public key) on
    /// <paramref name="threads"/> threads running flat out for <paramref name="duration"/>.
    /// </summary>
    public static double RecoveriesPerSecond(int threads, TimeSpan duration)
    {
        var (hashes, signatures) = _messages ??= MakeSignedMessages();
        return MeasureRecoveries(hashes, signatures, threads, duration);
    }

    /// <summary>Keccak-256 of a 64-byte input (an inner Merkle node's size) per second on one thread.</summary>
    public static double Keccak64PerSecond(TimeSpan duration) => MeasureKeccak64(duration);

    private static (byte[][] Hashes, byte[][] Signatures) MakeSignedMessages()
    {
        var random = new Random(42);
        var hashes = new byte[SignedMessages][];
        var signatures = new byte[SignedMessages][];
        var keys = new PrivateKey[64];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = PrivateKey.Generate();
        }
        for (var i = 0; i < SignedMessages; i++)
        {
            hashes[i] = new byte[32];
            random.NextBytes(hashes[i]);
            signatures[i] = keys[i % keys.Length].Sign(hashes[i]);
        }
        return (hashes, signatures);
    }

    private static double MeasureRecoveries(byte[][] hashes, byte[][] signatures, int threads, TimeSpan duration)
    {
        var counts = new long[threads];
        var workers = new Thread[threads];
        using var start = new Barrier(threads + 1);
        var stopwatch = new Stopwatch();
        var stopAt = 0L;
        for (var t = 0; t < threads; t++)
        {
            var id = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                long done = 0;
                var i = id * 17;
                while (Stopwatch.GetTimestamp() < Volatile.Read(ref stopAt))
                {
                    for (var batch = 0; batch < 64; batch++, i++)
                    {
                        var index = i & (SignedMessages - 1);
                        if (Secp256k1.TryRecoverAddress(hashes[index], signatures[index], out _) != SignatureError.None)
                        {
                            throw new InvalidOperationException("a valid signature failed to recover");
                        }
                    }
                    done += 64;
                }
                counts[id] = done;
            })
            { IsBackground = true };
            workers[t].Start();
        }
        Volatile.Write(ref stopAt, Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        stopwatch.Start();
        start.SignalAndWait();
        foreach (var worker in workers)
        {
            worker.Join();
        }
        stopwatch.Stop();
        return counts.Sum() / stopwatch.Elapsed.TotalSeconds;
    }

    private static double MeasureKeccak64(TimeSpan duration)
    {
        Span<byte> input = stackalloc byte[64];
        Span<byte> output = stackalloc byte[32];
        Random.Shared.NextBytes(input);
        long done = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            for (var i = 0; i < 4096; i++)
            {
                Keccak256.Compute(input, output);
                input[0] = output[0];
            }
            done += 4096;
        }
        return done / stopwatch.Elapsed.TotalSeconds;
    }
}
