using System.Diagnostics;
using Rollup.Execution.State;
using Rollup.Execution.State.Merkle;
using Rollup.Primitives;
using Rollup.Primitives.Hashing;

namespace Rollup.Bench.Custom;

/// <summary>
/// The state-root update cost per changed key of the trees the engine keeps (in memory, <see cref="StateTree"/>) as
/// the state grows: a tree of n random keys is built (as <c>Open</c> rebuilds it), then batches of updates, half new
/// keys and half existing keys with new values, are applied one by one as a block's commit does. Reported next to
/// the machine's Keccak-256 rate (a changed key costs about log2(n) hashes). Usage: <c>rollup-bench statetree
/// [--sizes 100000,1000000,10000000] [--batch 1000] [--rounds 30] [--seed 1]</c>.
/// </summary>
internal static class StateTreeBench
{
    private static readonly string[] Options = ["sizes", "batch", "rounds", "seed"];

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!BenchArgs.TryParse(args, Options, out var parsed, out var error))
        {
            Console.Error.WriteLine($"statetree: {error}");
            return 2;
        }
        var sizes = parsed.Ints("sizes", [100_000, 1_000_000, 10_000_000]);
        var batch = parsed.Int("batch", 1_000);
        var rounds = parsed.Int("rounds", 30);
        var random = new Random(parsed.Int("seed", 1));
        var report = new CustomReport("statetree", "state-root update cost per changed key of the in-memory state trees as the state grows");
        report.Parameter("--batch", batch);
        report.Parameter("--rounds", rounds);

        var keccak = KeccakPerSecond();
        report.Section("Machine limit, measured in this run");
        report.Add("keccak64.per_second", "Keccak-256 of 64 bytes, 1 thread", keccak, "op/s", $"{1e6 / keccak:F3} µs per hash", decimals: 0);

        foreach (var size in sizes)
        {
            var tree = new StateTree();
            var leaves = new List<MerkleUpdate>(size);
            for (var i = 0; i < size; i++)
            {
                leaves.Add(new MerkleUpdate(RandomHash(random), RandomHash(random)));
            }
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var build = Stopwatch.StartNew();
            tree.Rebuild(leaves);
            build.Stop();
            var memory = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
            var existing = leaves.ConvertAll(l => l.Key);
            leaves.Clear();

            var perKey = new List<double>(rounds);
            var updates = new MerkleUpdate[batch];
            var distinct = new HashSet<Hash256>();
            for (var round = 0; round < rounds + 3; round++)
            {
                distinct.Clear();
                for (var i = 0; i < batch; i++)
                {
                    Hash256 key;
                    do
                    {
                        key = i % 2 == 0 ? RandomHash(random) : existing[random.Next(existing.Count)];
                    }
                    while (!distinct.Add(key));
                    updates[i] = new MerkleUpdate(key, RandomHash(random));
                }
                var timer = Stopwatch.StartNew();
                tree.Tree.Update(updates);
                timer.Stop();
                if (round >= 3)
                {
                    perKey.Add(timer.Elapsed.TotalMicroseconds / batch);
                }
            }
            perKey.Sort();
            var depth = Math.Log2(size);
            report.Section($"n = {size:N0} keys");
            report.Add($"n{size}.build_s", "build the tree from n leaves (engine Open)", build.Elapsed.TotalSeconds, "s", $"{build.Elapsed.TotalMicroseconds / size:F2} µs per key");
            report.Add($"n{size}.memory_bytes_per_key", "memory per key", (double)memory / size, "B", $"{tree.NodeCount / (double)size:F2} nodes per key", decimals: 0);
            report.Add($"n{size}.update_us_per_key_p50", "update, per changed key, p50", perKey[perKey.Count / 2], "µs", $"log2 n = {depth:F1}: {perKey[perKey.Count / 2] * keccak / 1e6:F1} Keccak-times", decimals: 2);
            report.Add($"n{size}.update_us_per_key_max", "update, per changed key, worst round", perKey[^1], "µs", "", decimals: 2);
            Console.WriteLine($"statetree: n = {size:N0}: {perKey[perKey.Count / 2]:F2} µs per changed key (p50), build {build.Elapsed.TotalSeconds:F1} s, {(double)memory / size:F0} B per key");
        }
        report.Note("Per-key cost should grow like log n (the depth of a compressed sparse Merkle tree), not with n: compare the Keccak-times column with log2 n.");
        report.Write();
        return 0;
    }

    private static Hash256 RandomHash(Random random)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    private static double KeccakPerSecond()
    {
        Span<byte> input = stackalloc byte[64];
        var count = 0;
        var timer = Stopwatch.StartNew();
        while (timer.ElapsedMilliseconds < 1_000)
        {
            for (var i = 0; i < 1_000; i++)
            {
                input[0] = (byte)i;
                Keccak256.Compute(input);
            }
            count += 1_000;
        }
        return count / timer.Elapsed.TotalSeconds;
    }
}
